/**
 * jspawn-fcgi, the launcher: binds the FastCGI socket once, spawns responder processes with it on fd 0, and
 * supervises them (issue 4). Depends on the codec at most, never on the responder.
 */
package io.jfcgi.spawner;
