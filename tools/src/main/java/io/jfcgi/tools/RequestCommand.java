package io.jfcgi.tools;

import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fcgi-request}: one FastCGI request from the command line, for health checks and debugging, like
 * {@code cgi-fcgi -bind -connect} but with the parameters nginx would send. Exit status: 0 for a 2xx or 3xx
 * answer, 1 for any other status, 2 for bad usage, 3 when the responder cannot be reached or breaks the protocol.
 */
public final class RequestCommand {

    static final String USAGE = String.join("\n",
            "usage: fcgi-request [options] ADDRESS URI      ADDRESS: HOST:PORT, [IPv6]:PORT or unix:/path",
            "       fcgi-request --get-values ADDRESS       ask FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS",
            "  -X METHOD         request method (default GET, or POST with -d)",
            "  -d DATA           request body: text, @FILE, or @- for standard input",
            "  -H 'Name: value'  a request header, sent as HTTP_NAME (repeatable)",
            "  -p NAME=VALUE     any other FastCGI parameter (repeatable)",
            "  --role ROLE       RESPONDER (default), AUTHORIZER or FILTER",
            "  -i                print the response headers (and STDERR) too",
            "  --timeout SECONDS give up after this long (default 10)");

    private RequestCommand() {
    }

    /**
     * The {@code fcgi-request} command: runs it and exits the JVM with its status.
     *
     * @param args the command line; {@code --help} prints the usage
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command without exiting the JVM, for tests and embedding.
     *
     * @param args the command line, as {@code main} takes it
     * @param out  where the response (or the GET_VALUES answer) goes
     * @param err  where usage errors and failures go, one line each
     * @return the exit status: 0 for a 2xx or 3xx answer, 1 for any other status, 2 for bad usage, 3 when the
     *         responder cannot be reached or breaks the protocol
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String method = null;
        byte[] body = null;
        Map<String, String> extra = new LinkedHashMap<>();
        Role role = Role.RESPONDER;
        boolean include = false;
        boolean getValues = false;
        Duration timeout = Duration.ofSeconds(10);
        String address = null;
        String uri = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-X": method = value(args, ++i, arg); break;
                    case "-d": body = data(value(args, ++i, arg)); break;
                    case "-H": header(value(args, ++i, arg), extra); break;
                    case "-p": param(value(args, ++i, arg), extra); break;
                    case "--role": role = role(value(args, ++i, arg)); break;
                    case "-i": include = true; break;
                    case "--get-values": getValues = true; break;
                    case "--timeout": timeout = seconds(value(args, ++i, arg)); break;
                    case "-h":
                    case "--help":
                        out.println(USAGE);
                        return 0;
                    default:
                        if (arg.startsWith("-") && arg.length() > 1) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        if (address == null) {
                            address = arg;
                        } else if (uri == null) {
                            uri = arg;
                        } else {
                            throw new IllegalArgumentException("unexpected argument " + arg);
                        }
                }
            }
            if (address == null || (uri == null && !getValues)) {
                throw new IllegalArgumentException(address == null ? "no ADDRESS given" : "no URI given");
            }
        } catch (IllegalArgumentException e) {
            err.println("fcgi-request: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try (FastCgiClient client = FastCgiClient.connect(address, timeout)) {
            if (getValues) {
                return printValues(client, out);
            }
            String verb = method != null ? method : body != null ? "POST" : "GET";
            Map<String, String> params = FastCgiClient.requestParams(verb, uri, extra);
            if (body != null) {
                params.put("CONTENT_LENGTH", Integer.toString(body.length));
            }
            InputStream in = body == null ? null : new ByteArrayInputStream(body);
            FastCgiResponse response = client.send(1, role, false, params, in, role == Role.FILTER ? body : null);
            if (include) {
                out.write(response.stdout());
                if (!response.stderrText().isEmpty()) {
                    err.println("STDERR: " + response.stderrText());
                }
            } else {
                out.write(response.body());
            }
            out.flush();
            if (!response.hasHeaders()) {
                err.println("fcgi-request: the response has no complete header block (nginx would answer 502)");
                return 3;
            }
            return response.status() < 400 ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("fcgi-request: " + address + ": " + e.getMessage());
            return 3;
        }
    }

    private static int printValues(FastCgiClient client, PrintStream out) throws IOException {
        client.write(RecordEncoder.encode(GetValues.of(GetValues.MAX_CONNS, GetValues.MAX_REQS, GetValues.MPXS_CONNS)));
        Record answer = client.readRecord();
        if (!(answer instanceof GetValuesResult result)) {
            throw new IOException("expected GET_VALUES_RESULT, got " + answer);
        }
        for (NameValuePair pair : result.variables()) {
            out.println(pair.name() + "=" + pair.value());
        }
        return 0;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static byte[] data(String text) {
        try {
            if (text.equals("@-")) {
                return System.in.readAllBytes();
            }
            if (text.startsWith("@")) {
                return Files.readAllBytes(Path.of(text.substring(1)));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + text + ": " + e.getMessage());
        }
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void header(String text, Map<String, String> params) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("-H needs 'Name: value', got '" + text + "'");
        }
        String name = text.substring(0, colon).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        String value = text.substring(colon + 1).trim();
        params.put(name.equals("CONTENT_TYPE") ? name : "HTTP_" + name, value);
    }

    private static void param(String text, Map<String, String> params) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("-p needs NAME=VALUE, got '" + text + "'");
        }
        params.put(text.substring(0, eq), text.substring(eq + 1));
    }

    private static Role role(String text) {
        try {
            return Role.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--role must be RESPONDER, AUTHORIZER or FILTER, got '" + text + "'");
        }
    }

    private static Duration seconds(String text) {
        try {
            double s = Double.parseDouble(text);
            if (s > 0) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--timeout needs a positive number of seconds, got '" + text + "'");
    }
}
