package io.jfcgi.servlet.testspring;

import jakarta.servlet.http.HttpSession;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A few handler methods that exercise parameters, path variables, bodies, redirects, sessions and errors. */
@RestController
public class GreetingController {

    @GetMapping(value = "/greeting", produces = "text/plain;charset=UTF-8")
    public String greeting(@RequestParam(name = "name", defaultValue = "world") String name) {
        return "Hello, " + name + "!";
    }

    @GetMapping(value = "/items/{id}", produces = "text/plain")
    public String item(@PathVariable("id") long id) {
        return "item " + id;
    }

    @PostMapping(value = "/echo", consumes = "text/plain", produces = "text/plain;charset=UTF-8")
    public String echo(@RequestBody String body) {
        return "echo: " + body;
    }

    @GetMapping("/away")
    public ResponseEntity<Void> away() {
        return ResponseEntity.status(302).header("Location", "/spring/greeting?name=away").build();
    }

    @GetMapping(value = "/visits", produces = "text/plain")
    public String visits(HttpSession session) {
        Integer visits = (Integer) session.getAttribute("visits");
        visits = visits == null ? 1 : visits + 1;
        session.setAttribute("visits", visits);
        return "visits " + visits;
    }

    @GetMapping("/fail")
    public String fail() {
        throw new IllegalStateException("a controller failed for a test");
    }
}
