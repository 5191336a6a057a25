package dev.wharf.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits Docker's multiplexed stream: each frame is {@code [stream, 0, 0, 0, size(uint32 BE)]}
 * followed by size bytes; stream 1 is stdout, 2 stderr, 3 a system error. A TTY stream is raw
 * and goes to stdout as it comes.
 */
public final class StreamDemux {

    private StreamDemux() {
    }

    /** Copies the whole stream to the sink; returns at end of stream. */
    public static void copy(InputStream in, boolean tty, OutputSink sink) throws IOException {
        byte[] buf = new byte[32 * 1024];
        if (tty) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    sink.stdout(buf, 0, n);
                }
            }
            return;
        }
        byte[] header = new byte[8];
        while (true) {
            int got = readFully(in, header, 8);
            if (got == 0) {
                return;
            }
            if (got < 8) {
                throw new EOFException("truncated stream frame header");
            }
            int stream = header[0];
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            if (stream == 3) {
                byte[] msg = new byte[(int) Math.min(size, 1 << 20)];
                readFully(in, msg, msg.length);
                skip(in, size - msg.length);
                throw new WharfClientException(new String(msg, StandardCharsets.UTF_8).strip());
            }
            if (stream != 0 && stream != 1 && stream != 2) {
                throw new IOException("unrecognized stream: " + stream);
            }
            while (size > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) {
                    throw new EOFException("truncated stream frame");
                }
                size -= n;
                if (stream == 2) {
                    sink.stderr(buf, 0, n);
                } else {
                    sink.stdout(buf, 0, n);
                }
            }
        }
    }

    private static int readFully(InputStream in, byte[] b, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(b, off, len - off);
            if (n < 0) {
                break;
            }
            off += n;
        }
        return off;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    return;
                }
                s = 1;
            }
            n -= s;
        }
    }
}
