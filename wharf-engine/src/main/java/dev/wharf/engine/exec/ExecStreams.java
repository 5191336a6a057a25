package dev.wharf.engine.exec;

import dev.wharf.engine.container.DetachKeys;
import dev.wharf.engine.container.StreamFrames;
import dev.wharf.runtime.AttachSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies an exec's attach socket to the client (raw with a TTY, else multiplexed) and stdin back.
 * With a TTY, the detach keys in stdin end the copy and leave the process running, as Docker does.
 */
final class ExecStreams {

    private ExecStreams() {}

    /** Returns true when the client left with the detach keys (the process runs on). */
    static boolean copy(AttachSocket sock, InputStream in, OutputStream out, boolean tty, boolean raw, boolean stdin,
            boolean stdout, boolean stderr, byte[] detachKeys, Runnable clientLeft) throws IOException {
        DetachKeys.Matcher detach = tty && stdin && detachKeys != null && detachKeys.length > 0
                ? new DetachKeys.Matcher(detachKeys) : null;
        if (stdin && in != null) {
            Thread.ofVirtual().name("exec-stdin").start(() -> pumpStdin(sock, in, detach));
        }
        AttachSocket.Frame f;
        boolean clientGone = false;
        while (true) {
            try {
                f = sock.read();
            } catch (IOException e) {
                if (detach != null && detach.detached()) {
                    return true; // our end of the socket was closed by the detach
                }
                throw e;
            }
            if (f == null) {
                return detach != null && detach.detached();
            }
            if (clientGone || (f.stream() == 2 ? !stderr : !stdout)) {
                continue;
            }
            try {
                StreamFrames.write(out, raw, f.stream(), f.data(), f.data().length);
                out.flush();
            } catch (IOException e) {
                // As Docker: the process of an exec whose client left is killed; what it wrote
                // until it dies is drained, so it is not left blocked on a full pipe.
                clientGone = true;
                clientLeft.run();
            }
        }
    }

    private static void pumpStdin(AttachSocket sock, InputStream in, DetachKeys.Matcher detach) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                byte[] pass = detach == null ? null : detach.filter(buf, n);
                if (pass != null) {
                    if (pass.length > 0) {
                        sock.writeStdin(pass, 0, pass.length);
                    }
                    if (detach.detached()) {
                        sock.close(); // only our connection to conmon ends; it wakes the output loop
                        return;
                    }
                } else if (n > 0) {
                    sock.writeStdin(buf, 0, n);
                }
            }
            sock.closeStdin();
        } catch (IOException | RuntimeException e) {
            // the client or the process went away
        }
    }
}
