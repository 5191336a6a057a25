package dev.wharf.engine.exec;

import dev.wharf.runtime.AttachSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies an exec's attach socket to the client (raw with a TTY, else multiplexed) and stdin back. */
final class ExecStreams {

    private ExecStreams() {}

    static void copy(AttachSocket sock, InputStream in, OutputStream out, boolean tty, boolean stdin, boolean stdout,
            boolean stderr) throws IOException {
        if (stdin && in != null) {
            Thread.ofVirtual().name("exec-stdin").start(() -> pumpStdin(sock, in));
        }
        AttachSocket.Frame f;
        boolean clientGone = false;
        while ((f = sock.read()) != null) {
            if (clientGone || (f.stream() == 2 ? !stderr : !stdout)) {
                continue;
            }
            try {
                write(out, tty, f.stream(), f.data(), f.data().length);
                out.flush();
            } catch (IOException e) {
                clientGone = true; // keep draining so the process is not blocked on a full pipe
            }
        }
    }

    private static void pumpStdin(AttachSocket sock, InputStream in) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    sock.writeStdin(buf, 0, n);
                }
            }
            sock.closeStdin();
        } catch (IOException | RuntimeException e) {
            // the client or the process went away
        }
    }

    static void write(OutputStream out, boolean tty, int stream, byte[] data, int len) throws IOException {
        if (!tty) {
            byte[] h = {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8),
                (byte) len};
            out.write(h);
        }
        out.write(data, 0, len);
    }
}
