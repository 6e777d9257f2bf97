package io.jfcgi.responder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The web server's side of one fuzzed connection: writes a {@link FuzzInput} in its pieces, reads what the server
 * answers until it closes the connection or a short bound passes, and closes (or resets) the connection.
 */
final class FuzzPeer {

    /** With our output shut down the server ends the connection once it reads EOF: this is ample for that. */
    private static final long EOF_BOUND_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** With our side kept open the server may rightly wait for more: we stop after this long without a byte. */
    private static final int QUIET_MILLIS = 100;
    private static final long OPEN_BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A pause, not a wait on anything: it lets the server's read end between two pieces, as it may or may not. */
    private static final long BETWEEN_PIECES_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** What came back: the bytes, and whether the server closed the connection before we stopped reading. */
    record Answer(byte[] bytes, boolean closedByServer) {
    }

    private FuzzPeer() {
    }

    static Answer exchange(InetSocketAddress server, FuzzInput input) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, 5000);
            socket.setTcpNoDelay(true);
            List<byte[]> pieces = input.pieces();
            try {
                for (int i = 0; i < pieces.size(); i++) {
                    if (i > 0) {
                        LockSupport.parkNanos(BETWEEN_PIECES_NANOS);
                    }
                    socket.getOutputStream().write(pieces.get(i));
                }
                if (!input.keepOpen()) {
                    socket.shutdownOutput();
                }
            } catch (IOException closedByServer) {
                // The server may close at the first malformed record, before we have written the rest.
            }
            Answer answer = read(socket, input.keepOpen());
            if (input.reset()) {
                socket.setSoLinger(true, 0);
            }
            return answer;
        }
    }

    private static Answer read(Socket socket, boolean keepOpen) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + (keepOpen ? OPEN_BOUND_NANOS : EOF_BOUND_NANOS);
        socket.setSoTimeout(keepOpen ? QUIET_MILLIS : 250);
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 << 10];
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                if (keepOpen) {
                    break;
                }
                continue;
            } catch (IOException e) { // a reset: the server closed with our bytes unread
                return new Answer(answer.toByteArray(), true);
            }
            if (n < 0) {
                return new Answer(answer.toByteArray(), true);
            }
            answer.write(chunk, 0, n);
        }
        return new Answer(answer.toByteArray(), false);
    }
}
