package dev.wharf.it.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A tiny HTTP/1.1 client over a unix socket, for API-level assertions. One connection per request
 * ({@code Connection: close}); responses are read by Content-Length, chunked encoding or until EOF.
 * Every call has a deadline: when it passes, the socket is closed and the call fails.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;

    public Api(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** An HTTP response; header names are lower-cased. */
    public record Response(int status, String reason, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + text(), e);
            }
        }

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** The {@code message} of a Docker error body, or the raw text. */
        public String message() {
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.has("message")) return node.get("message").asText();
            } catch (IOException ignored) {
                // not JSON
            }
            return text();
        }

        @Override
        public String toString() {
            return status + " " + reason + " " + text();
        }
    }

    public Response get(String path) {
        return send("GET", path, Map.of(), null, DEFAULT_TIMEOUT);
    }

    public Response head(String path, Map<String, String> headers) {
        return send("HEAD", path, headers, null, DEFAULT_TIMEOUT);
    }

    public Response post(String path) {
        return send("POST", path, Map.of(), null, DEFAULT_TIMEOUT);
    }

    public Response postJson(String path, Object body) {
        return postJson(path, body, DEFAULT_TIMEOUT);
    }

    public Response postJson(String path, Object body, Duration timeout) {
        byte[] bytes;
        try {
            bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send("POST", path, Map.of("Content-Type", "application/json"), bytes, timeout);
    }

    public Response delete(String path) {
        return send("DELETE", path, Map.of(), null, DEFAULT_TIMEOUT);
    }

    /** Sends one request and reads the whole response. */
    public Response send(String method, String path, Map<String, String> headers, byte[] body, Duration timeout) {
        try (Stream stream = open(method, path, headers, body, timeout)) {
            byte[] bytes = method.equals("HEAD") ? new byte[0] : stream.body().readAllBytes();
            return new Response(stream.status(), stream.reason(), stream.headers(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    /**
     * Sends one request and returns as soon as the status line and headers have arrived; the body
     * is read from {@link Stream#body()} (chunked encoding already decoded). The deadline still
     * applies: when it passes the connection is closed and reads fail.
     */
    public Stream open(String method, String path, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                channel.close();
            } catch (InterruptedException | IOException ignored) {
                // finished in time, or already closed
            }
        });
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: localhost\r\n");
            head.append("User-Agent: wharf-it\r\n");
            head.append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
            else if (method.equals("POST") || method.equals("PUT")) head.append("Content-Length: 0\r\n");
            head.append("\r\n");
            writeFully(channel, head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) writeFully(channel, body);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 65536);
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("bad status line: " + statusLine);
            int status = Integer.parseInt(parts[1]);
            String reason = parts.length > 2 ? parts[2] : "";
            Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon < 0) throw new IOException("bad header: " + line);
                responseHeaders.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            InputStream bodyStream = bodyStream(method, status, responseHeaders, in);
            return new Stream(status, reason, responseHeaders, bodyStream, channel, watchdog);
        } catch (IOException | RuntimeException e) {
            watchdog.interrupt();
            channel.close();
            throw e;
        }
    }

    /**
     * Sends one request and returns the body's HTTP chunks exactly as the server framed them (the
     * response must be chunked), to check that a JSON stream sends each message in one chunk.
     */
    public List<byte[]> chunks(String method, String path, Map<String, String> headers, byte[] body,
            Duration timeout) {
        try (Stream stream = open(method, path, headers, body, timeout)) {
            if (!(stream.body() instanceof ChunkedInputStream c)) {
                throw new AssertionError(method + " " + path + " is not chunked: " + stream.status() + " "
                        + stream.headers());
            }
            List<byte[]> out = new ArrayList<>();
            for (byte[] chunk = c.rawChunk(); chunk != null; chunk = c.rawChunk()) {
                out.add(chunk);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    /** A response whose body is still being read. Closing it closes the connection. */
    public record Stream(int status, String reason, Map<String, List<String>> headers, InputStream body,
                         SocketChannel channel, Thread watchdog) implements AutoCloseable {
        /** The first value of a response header (names in lower case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** Reads one {@code \n}-terminated line of the body (without the newline); null at the end. */
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = body.read()) != -1) {
                if (c == '\n') return line.toString(StandardCharsets.UTF_8);
                line.write(c);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }

        /** The next HTTP chunk of a chunked body exactly as sent; null at the end. */
        public byte[] rawChunk() throws IOException {
            if (!(body instanceof ChunkedInputStream c)) throw new IOException("not a chunked body: " + headers);
            return c.rawChunk();
        }

        @Override
        public void close() throws IOException {
            watchdog.interrupt();
            channel.close();
        }
    }

    private static InputStream bodyStream(String method, int status, Map<String, List<String>> headers, InputStream in) {
        if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200 && status != 101)) {
            return InputStream.nullInputStream();
        }
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            return new ChunkedInputStream(in);
        }
        List<String> cl = headers.get("content-length");
        if (cl != null && status != 101) return new BoundedInputStream(in, Long.parseLong(cl.getFirst()));
        return in;
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
                return line.toString();
            }
            line.append((char) c);
        }
        throw new EOFException("connection closed in the middle of a line: " + line);
    }

    /** Decodes {@code Transfer-Encoding: chunked}. */
    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        private boolean nextChunk() throws IOException {
            if (done) return false;
            if (remaining == 0) {
                String size = readLine(in);
                int semi = size.indexOf(';');
                if (semi >= 0) size = size.substring(0, semi);
                remaining = Long.parseLong(size.trim(), 16);
                if (remaining == 0) {
                    // trailers, then the blank line
                    while (!readLine(in).isEmpty()) {
                        // skip
                    }
                    done = true;
                    return false;
                }
            }
            return true;
        }

        /** The next whole chunk as sent; null at the end. Not to be mixed with read(). */
        byte[] rawChunk() throws IOException {
            if (!nextChunk()) return null;
            byte[] chunk = in.readNBytes((int) remaining);
            if (chunk.length != remaining) throw new EOFException("connection closed inside a chunk");
            remaining = 0;
            if (!readLine(in).isEmpty()) throw new IOException("chunk not followed by CRLF");
            return chunk;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!nextChunk()) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n == -1) throw new EOFException("connection closed inside a chunk");
            remaining -= n;
            if (remaining == 0) {
                String crlf = readLine(in);
                if (!crlf.isEmpty()) throw new IOException("chunk not followed by CRLF");
            }
            return n;
        }
    }

    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int c = in.read();
            if (c == -1) throw new EOFException("connection closed before Content-Length bytes");
            remaining--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n == -1) throw new EOFException("connection closed before Content-Length bytes");
            remaining -= n;
            return n;
        }
    }

    /** URL-encodes a query value. */
    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Splits a Docker multiplexed stream (8-byte frame headers) into stdout and stderr text. */
    public static String[] demux(byte[] framed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= framed.length) {
            int kind = framed[i];
            int size = ((framed[i + 4] & 0xff) << 24) | ((framed[i + 5] & 0xff) << 16) | ((framed[i + 6] & 0xff) << 8) | (framed[i + 7] & 0xff);
            int end = Math.min(framed.length, i + 8 + size);
            (kind == 2 ? err : out).write(framed, i + 8, end - i - 8);
            i = end;
        }
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
