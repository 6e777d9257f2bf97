/**
 * The WAR ApacheWarIT serves: annotated servlets only (no web.xml), that tell what the request looked like to the
 * application, so that a test sees what a web server's FastCGI params became.
 */
package io.jfcgi.servlet.e2e.proxiedwar;
