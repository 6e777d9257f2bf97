package io.jfcgi.codec;

/** The role a BEGIN_REQUEST asks the application to play (§5.1, §6). */
public enum Role {
    RESPONDER(1),
    AUTHORIZER(2),
    FILTER(3);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    /** The role number on the wire (roleB1, roleB0). */
    public int code() {
        return code;
    }

    /** The role with this code, or {@code null}: the application answers END_REQUEST{UNKNOWN_ROLE} (§5.5). */
    public static Role fromCode(int code) {
        switch (code) {
            case 1: return RESPONDER;
            case 2: return AUTHORIZER;
            case 3: return FILTER;
            default: return null;
        }
    }
}
