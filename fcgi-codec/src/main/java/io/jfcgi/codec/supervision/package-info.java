/**
 * jspawn-fcgi's status channel (docs/status-channel.md), defined once for both ends: the fd numbers and
 * environment variables a child is given ({@link io.jfcgi.codec.supervision.StatusChannel}) and the lines it writes
 * ({@link io.jfcgi.codec.supervision.StatusMessage}). The responder writes them, the spawner reads them; neither
 * depends on the other, both on the codec.
 *
 * <p>Pure like the rest of the codec: values and their text, no I/O, no threads.
 */
package io.jfcgi.codec.supervision;
