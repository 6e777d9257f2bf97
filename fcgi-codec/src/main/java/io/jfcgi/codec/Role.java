package io.jfcgi.codec;

/** The role a BEGIN_REQUEST asks the application to play (§5.1, §6). */
public enum Role {
    /** FCGI_RESPONDER (§6.2): the CGI/1.1 role, answering an HTTP request with a response. */
    RESPONDER(1),
    /** FCGI_AUTHORIZER (§6.3): decides whether an HTTP request may proceed. */
    AUTHORIZER(2),
    /** FCGI_FILTER (§6.4): like a responder, with a data file (FCGI_DATA) to filter. */
    FILTER(3);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    /**
     * The role number on the wire (roleB1, roleB0).
     *
     * @return 1, 2 or 3
     */
    public int code() {
        return code;
    }

    /**
     * The role a BEGIN_REQUEST's role number names.
     *
     * @param code the role number as received, any value
     * @return the role, or {@code null} for a number FastCGI 1.0 does not define, which the application answers
     *         with END_REQUEST{UNKNOWN_ROLE} (§5.5)
     */
    public static Role fromCode(int code) {
        switch (code) {
            case 1: return RESPONDER;
            case 2: return AUTHORIZER;
            case 3: return FILTER;
            default: return null;
        }
    }
}
