package io.jfcgi.codec;

/**
 * One FastCGI record (§3.3): the eleven types of FastCGI 1.0, plus {@link UnknownRecord} for a type the
 * codec does not know, so that the application can answer it with {@link UnknownType}.
 */
public sealed interface Record
        permits BeginRequest, AbortRequest, EndRequest, StreamRecord, GetValues, GetValuesResult,
                UnknownType, UnknownRecord {

    /** The type byte on the wire. */
    int typeCode();

    /** 0 for management records, otherwise the request this record belongs to. */
    int requestId();
}
