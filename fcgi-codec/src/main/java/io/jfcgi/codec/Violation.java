package io.jfcgi.codec;

/** What was wrong with the input, for a {@link FastCgiProtocolException}. */
public enum Violation {
    /** The version byte is not FCGI_VERSION_1. */
    UNSUPPORTED_VERSION,
    /** A management type (GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE) with a request id other than 0. */
    MANAGEMENT_RECORD_WITH_REQUEST_ID,
    /** An application type (BEGIN_REQUEST..DATA) with request id 0, which is reserved for management. */
    APPLICATION_RECORD_WITHOUT_REQUEST_ID,
    /** A fixed-size body (BEGIN_REQUEST, END_REQUEST, UNKNOWN_TYPE: 8; ABORT_REQUEST: 0) of another size. */
    BAD_CONTENT_LENGTH,
    /** END_REQUEST with a protocolStatus FastCGI 1.0 does not define. */
    UNKNOWN_PROTOCOL_STATUS,
    /** A name-value pair whose lengths run past the end of its record or stream. */
    TRUNCATED_PAIR,
    /** The input ended inside a record. */
    TRUNCATED_RECORD,
    /** A name longer than {@link ParamsLimits#maxNameLength()}. */
    NAME_TOO_LONG,
    /** A value longer than {@link ParamsLimits#maxValueLength()}. */
    VALUE_TOO_LONG,
    /** More pairs than {@link ParamsLimits#maxPairs()}. */
    TOO_MANY_PAIRS,
    /** A stream longer than {@link ParamsLimits#maxStreamBytes()}. */
    PARAMS_TOO_LARGE
}
