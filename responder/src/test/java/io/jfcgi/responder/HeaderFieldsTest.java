package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HeaderFieldsTest {

    private static String all(HeaderFields fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            out.append(fields.name(i)).append('=').append(fields.value(i)).append(';');
        }
        return out.toString();
    }

    @Test
    void headersKeepTheOrderTheyWereAddedInPastTheFirstRoom() {
        HeaderFields fields = new HeaderFields();
        for (int i = 0; i < 9; i++) {
            fields.add("X-" + i, "v" + i);
        }
        assertEquals("X-0=v0;X-1=v1;X-2=v2;X-3=v3;X-4=v4;X-5=v5;X-6=v6;X-7=v7;X-8=v8;", all(fields));
    }

    @Test
    void removeAllDropsEveryHeaderOfANameInAnyCaseAndKeepsTheRestInOrder() {
        HeaderFields fields = new HeaderFields();
        fields.add("A", "1");
        fields.add("b", "2");
        fields.add("C", "3");
        fields.add("B", "4");
        fields.removeAll("B");
        assertEquals("A=1;C=3;", all(fields));
        fields.add("D", "5");
        assertEquals("A=1;C=3;D=5;", all(fields));
    }

    @Test
    void firstFindsTheFirstOfANameInAnyCase() {
        HeaderFields fields = new HeaderFields();
        fields.add("Set-Cookie", "a");
        fields.add("set-cookie", "b");
        assertEquals("a", fields.first("SET-COOKIE"));
        assertNull(fields.first("X"));
    }

    @Test
    void clearLeavesNone() {
        HeaderFields fields = new HeaderFields();
        fields.add("A", "1");
        fields.clear();
        assertEquals(0, fields.size());
        assertNull(fields.first("A"));
        fields.add("B", "2");
        assertEquals("B=2;", all(fields));
    }
}
