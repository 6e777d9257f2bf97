/**
 * A plain Servlet 6 application declared by web.xml ({@code src/test/webapp/plain}), which {@code PlainWarIT}
 * packs into a WAR with these compiled classes under WEB-INF/classes and serves through the runner and nginx.
 */
package io.jfcgi.servlet.testwar;
