package dev.wharf.engine.container;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The attach and logs stream of the Docker API: with a TTY raw bytes, otherwise each chunk behind
 * an 8-byte header (stream number, three zero bytes, big-endian length). For containers and execs.
 */
public final class StreamFrames {

    private StreamFrames() {
    }

    /** Writes one chunk: raw with a TTY, else behind its header. */
    public static void write(OutputStream out, boolean tty, int stream, byte[] data, int len) throws IOException {
        writeHeader(out, tty, stream, len);
        out.write(data, 0, len);
    }

    /** The header alone (nothing with a TTY), for a chunk of {@code len} bytes written after it. */
    public static void writeHeader(OutputStream out, boolean tty, int stream, int len) throws IOException {
        if (!tty) {
            out.write(header(stream, len));
        }
    }

    /** The 8-byte header of a chunk of {@code len} bytes on {@code stream}. */
    public static byte[] header(int stream, int len) {
        return new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8),
            (byte) len};
    }
}
