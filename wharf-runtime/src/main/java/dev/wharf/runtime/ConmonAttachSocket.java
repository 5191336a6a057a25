package dev.wharf.runtime;

import dev.wharf.runtime.sys.UnixSeqPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * conmon's attach protocol ({@code conn_sock.c}, {@code ctr_stdio.c}): each packet from conmon is
 * one byte of pipe (2 stdout, 3 stderr) and the data; each packet to conmon is raw stdin bytes,
 * read into a 32 KiB buffer, so writes are split into smaller packets. EOF from us closes stdin.
 */
final class ConmonAttachSocket implements AttachSocket {

    private static final int PIPE_STDOUT = 2;
    private static final int PIPE_STDERR = 3;
    private static final int MAX_STDIN_PACKET = 8192;
    private static final int READ_BUF = 32768 + 1;

    private final UnixSeqPacket socket;
    private final byte[] buf = new byte[READ_BUF];

    private ConmonAttachSocket(UnixSeqPacket socket) {
        this.socket = socket;
    }

    /** Connects to the socket conmon made in {@code dir} ({@code --full-attach}: the bundle). */
    static ConmonAttachSocket connect(Path dir) throws IOException {
        return new ConmonAttachSocket(UnixSeqPacket.connect(dir.resolve("attach")));
    }

    @Override
    public synchronized Frame read() throws IOException {
        while (true) {
            int n = socket.read(buf);
            if (n <= 0) {
                return null;
            }
            int stream = switch (buf[0]) {
                case PIPE_STDOUT -> 1;
                case PIPE_STDERR -> 2;
                default -> -1;
            };
            if (stream < 0 || n == 1) {
                continue;
            }
            return new Frame(stream, Arrays.copyOfRange(buf, 1, n));
        }
    }

    @Override
    public void writeStdin(byte[] data, int off, int len) throws IOException {
        while (len > 0) {
            int chunk = Math.min(len, MAX_STDIN_PACKET);
            socket.send(data, off, chunk);
            off += chunk;
            len -= chunk;
        }
    }

    @Override
    public void closeStdin() throws IOException {
        socket.shutdown(UnixSeqPacket.SHUT_WR);
    }

    @Override
    public void close() {
        socket.close();
    }
}
