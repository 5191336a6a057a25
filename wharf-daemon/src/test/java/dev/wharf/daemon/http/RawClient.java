package dev.wharf.daemon.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A hand-written HTTP/1.1 client over a unix socket, to see exactly what goes on the wire. */
final class RawClient implements AutoCloseable {
    record Response(int status, String reason, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SocketChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(64 << 10).flip();

    RawClient(Path socket) throws IOException {
        ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    RawClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.UTF_8));
    }

    RawClient send(byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
        return this;
    }

    void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    /** Sends a request with Content-Length and reads the whole response. */
    Response exchange(String method, String path, String body, String... headers) throws IOException {
        send(request(method, path, body, headers));
        return readResponse(method.equals("HEAD"));
    }

    static String request(String method, String path, String body, String... headers) {
        var sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: docker\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        sb.append("\r\n");
        if (body != null) {
            sb.append(body);
        }
        return sb.toString();
    }

    Head readHead() throws IOException {
        String status = readLine();
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers);
    }

    Response readResponse(boolean head) throws IOException {
        Head h = readHead();
        byte[] body;
        if (head || h.status() == 204 || h.status() == 304 || h.status() / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(h.header("Transfer-Encoding"))) {
            var out = new ByteArrayOutputStream();
            for (byte[] c = readChunk(); c != null; c = readChunk()) {
                out.writeBytes(c);
            }
            body = out.toByteArray();
        } else if (h.header("Content-Length") != null) {
            body = readN(Integer.parseInt(h.header("Content-Length")));
        } else {
            body = readToEof();
        }
        return new Response(h.status(), h.reason(), h.headers(), body);
    }

    /** One chunk's data, or null at the last chunk (trailers skipped). */
    byte[] readChunk() throws IOException {
        int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = readN(size);
        if (!readLine().isEmpty()) {
            throw new IOException("bad chunk end");
        }
        return data;
    }

    byte[] readToEof() throws IOException {
        var out = new ByteArrayOutputStream();
        for (int b = readByte(); b >= 0; b = readByte()) {
            out.write(b);
        }
        return out.toByteArray();
    }

    byte[] readN(int n) throws IOException {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            int b = readByte();
            if (b < 0) {
                throw new EOFException("after " + i + " of " + n + " bytes");
            }
            r[i] = (byte) b;
        }
        return r;
    }

    private String readLine() throws IOException {
        var sb = new StringBuilder();
        for (int b = readByte(); b != '\n'; b = readByte()) {
            if (b < 0) {
                throw new EOFException("in line: " + sb);
            }
            sb.append((char) b);
        }
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
    }

    int readByte() throws IOException {
        if (!buf.hasRemaining()) {
            buf.clear();
            int n = ch.read(buf);
            buf.flip();
            if (n < 0) {
                return -1;
            }
        }
        return buf.get() & 0xff;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
