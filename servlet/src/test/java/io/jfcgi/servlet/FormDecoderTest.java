package io.jfcgi.servlet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormDecoderTest {

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "a=1&b=2|UTF-8|{a=[1], b=[2]}",
            "a=1&a=2|UTF-8|{a=[1, 2]}",
            "a&b=|UTF-8|{a=[], b=[]}",
            "q=caf%C3%A9|UTF-8|{q=[café]}",
            "q=caf%E9|ISO-8859-1|{q=[café]}",
            "q=a+b%2Bc|UTF-8|{q=[a b+c]}",
            "%E2%82%AC=euro|UTF-8|{€=[euro]}",
            "&&a=1&&|UTF-8|{a=[1]}",
            "bad=%zz&good=1|UTF-8|{good=[1]}",
            "eq=a=b|UTF-8|{eq=[a=b]}",
    })
    void decodes(String text, String charset, String expected) {
        Map<String, List<String>> decoded = new LinkedHashMap<>();
        FormDecoder.decode(text, Charset.forName(charset), decoded);
        assertEquals(expected, decoded.toString().replace("=[]", "=[]"));
    }
}
