package dev.wharf.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** HTTP/1.1 framing on a blocking socket channel: lines, heads, and the channel as streams. */
final class HttpWire {

    static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_LINE = 64 * 1024;

    private HttpWire() {
    }

    /** Reads one line without its CR LF, or null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("HTTP line too long");
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Reads header lines up to the blank line into a case-insensitive map. */
    static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    static void writeHead(OutputStream out, String method, String target, Map<String, String> headers)
            throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads from the channel directly, so that another thread may write at the same time. */
    static final class ChannelInput extends InputStream {
        private final SocketChannel ch;

        ChannelInput(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n;
            while ((n = read(b, 0, 1)) == 0) {
                // blocking channel: never 0, but be safe
            }
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            return ch.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Writes to the channel directly; see {@link ChannelInput}. */
    static final class ChannelOutput extends OutputStream {
        private final SocketChannel ch;

        ChannelOutput(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** A buffered input stream that does not close the channel on close (the response does). */
    static final class Buffered extends java.io.BufferedInputStream {
        Buffered(InputStream in) {
            super(in, 16 * 1024);
        }
    }
}
