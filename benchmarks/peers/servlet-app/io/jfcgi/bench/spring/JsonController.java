package io.jfcgi.bench.spring;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.atomic.AtomicLong;

/** GET /json?name=…: a small object written by Jackson, as a typical JSON API answers. */
@RestController
public class JsonController {

    /** What /json answers. */
    public record Greeting(long id, String message) {
    }

    private final AtomicLong served = new AtomicLong();

    @GetMapping(value = "/json", produces = "application/json")
    public Greeting json(@RequestParam(name = "name", defaultValue = "World") String name) {
        return new Greeting(served.incrementAndGet(), "Hello, " + name + "!");
    }
}
