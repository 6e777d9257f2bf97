/**
 * Jakarta Servlet applications served over FastCGI: {@link io.jfcgi.servlet.ServletApp} registers servlets,
 * filters and listeners in code, {@link io.jfcgi.servlet.WarRunner} deploys a WAR, and both serve through
 * {@link io.jfcgi.servlet.ServletBridge}, the responder {@link io.jfcgi.responder.Handler} that runs the
 * application. The container's workings are package-private.
 */
package io.jfcgi.servlet;
