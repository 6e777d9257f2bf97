package io.jfcgi.servlet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContentTypesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "text/html|text/html|null|text/html",
            "text/html; charset=UTF-8|text/html|UTF-8|text/html",
            "Text/HTML;Charset=\"utf-8\"|text/html|utf-8|Text/HTML",
            "multipart/form-data; boundary=x; charset=ISO-8859-1|multipart/form-data|ISO-8859-1|multipart/form-data; boundary=x",
            "application/json;charset=|application/json|null|application/json",
    })
    void splitsMediaTypeAndCharset(String contentType, String mediaType, String charset, String withoutCharset) {
        assertEquals(mediaType, ContentTypes.mediaType(contentType));
        assertEquals(charset, ContentTypes.charset(contentType));
        assertEquals(withoutCharset, ContentTypes.withoutCharset(contentType));
    }
}
