package dev.wharf.client.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Decodes a {@code Transfer-Encoding: chunked} body; trailers are read and dropped. */
final class ChunkedInputStream extends InputStream {

    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            HttpWire.readLine(in);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return done ? 0 : (int) Math.min(remaining, in.available());
    }

    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        if (remaining > 0) {
            return true;
        }
        String line = HttpWire.readLine(in);
        if (line == null) {
            throw new EOFException("connection closed before the last chunk");
        }
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
        try {
            remaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + line);
        }
        if (remaining == 0) {
            done = true;
            String trailer;
            while ((trailer = HttpWire.readLine(in)) != null && !trailer.isEmpty()) {
                // ignore trailers
            }
            return false;
        }
        return true;
    }
}
