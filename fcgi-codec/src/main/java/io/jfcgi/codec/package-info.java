/**
 * FastCGI 1.0 wire format: typed, immutable records and the codecs between them and bytes.
 *
 * <p>Pure by design, like Go's {@code net/http/fcgi/fcgi.go}: no sockets, no threads, no logging, no
 * dependencies. {@link io.jfcgi.codec.RecordDecoder} turns bytes (in chunks of any size) into
 * {@link io.jfcgi.codec.Record}s, {@link io.jfcgi.codec.RecordEncoder} turns records into bytes, and
 * {@link io.jfcgi.codec.NameValuePairDecoder} turns a PARAMS stream into name-value pairs. Section numbers
 * in comments ({@code §3.3}) refer to the FastCGI Specification, Open Market, 1996.
 */
package io.jfcgi.codec;
