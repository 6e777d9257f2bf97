/**
 * A blocking FastCGI client for tests, health checks and debugging: {@link io.jfcgi.tools.FastCgiClient} sends a
 * request the way nginx does and collects the {@link io.jfcgi.tools.FastCgiResponse};
 * {@link io.jfcgi.tools.RequestCommand} is the {@code fcgi-request} command built on it.
 */
package io.jfcgi.tools;
