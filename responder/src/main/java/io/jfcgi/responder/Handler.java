package io.jfcgi.responder;

/**
 * The application: called once per request on a worker thread. Read the request, write the response, return.
 * An exception that escapes becomes a 500 if the headers have not been sent yet (else the request ends with
 * appStatus 1); it is logged with the request id and URI, and the server goes on.
 */
@FunctionalInterface
public interface Handler {
    void handle(Request request, Response response) throws Exception;
}
