package io.jfcgi.codec;

/**
 * One FastCGI record (§3.3): the eleven types of FastCGI 1.0, plus {@link UnknownRecord} for a type the
 * codec does not know, so that the application can answer it with {@link UnknownType}.
 */
public sealed interface Record
        permits BeginRequest, AbortRequest, EndRequest, StreamRecord, GetValues, GetValuesResult,
                UnknownType, UnknownRecord {

    /**
     * The record's type byte on the wire.
     *
     * @return the type code, 0..255: a {@link RecordType#code()}, or any other byte for an {@link UnknownRecord}
     */
    int typeCode();

    /**
     * The request this record belongs to.
     *
     * @return 1..65535 for a request's records; 0 ({@link RecordHeader#NULL_REQUEST_ID}) for management records
     */
    int requestId();
}
