/**
 * The launcher's log: a Log4j API provider that writes one line per event to stderr,
 * {@code yyyy-MM-dd HH:mm:ss.SSS jspawn-fcgi LEVEL message}, as the Log4j API's simple logger did, without
 * {@code SimpleDateFormat}, whose locale data cost every launch ~30 ms of CPU before its first spawn.
 */
package io.jfcgi.spawner.log;
