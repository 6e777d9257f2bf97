package io.jfcgi.servlet.testspring;

import jakarta.servlet.http.HttpSession;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A few handler methods that exercise parameters, path variables, bodies, redirects, sessions and errors. */
@RestController
public class GreetingController {

    /** Long polls waiting for /release, by their number. */
    private final Map<Integer, DeferredResult<String>> polls = new ConcurrentHashMap<>();

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

    /** A long poll: answered when /release is posted (or after a minute, 503 by Spring's default). */
    @GetMapping(value = "/poll", produces = "text/plain")
    public DeferredResult<String> poll(@RequestParam("n") int n) {
        DeferredResult<String> result = new DeferredResult<>(60_000L);
        result.onCompletion(() -> polls.remove(n, result));
        polls.put(n, result);
        return result;
    }

    @GetMapping(value = "/polls", produces = "text/plain")
    public String waitingPolls() {
        return "waiting " + polls.size();
    }

    /** Answers every waiting long poll, from this request's thread. */
    @PostMapping(value = "/release", produces = "text/plain")
    public String release() {
        int released = 0;
        for (Map.Entry<Integer, DeferredResult<String>> poll : polls.entrySet()) {
            if (poll.getValue().setResult("poll " + poll.getKey())) {
                released++;
            }
        }
        return "released " + released;
    }
}
