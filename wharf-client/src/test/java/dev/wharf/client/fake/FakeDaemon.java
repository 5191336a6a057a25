package dev.wharf.client.fake;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-process HTTP server on a temporary unix socket that answers canned responses, for unit
 * tests of the client and the CLI. Routes match on {@code "METHOD /path"} with the {@code /v1.NN}
 * prefix and the query removed; the first match wins; unmatched requests get a 404 JSON error.
 * Every request is recorded in arrival order.
 */
public final class FakeDaemon implements AutoCloseable {

    /** One parsed request. {@code path} has no version prefix and no query. */
    public record Request(String method, String target, String path, String query, Map<String, String> headers,
            byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }

        /** "METHOD /path" without version or query. */
        public String line() {
            return method + " " + path;
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Request req, Exchange ex) throws Exception;
    }

    /** The raw socket of one request, with helpers for the usual answers. */
    public static final class Exchange {
        private final OutputStream out;
        private final InputStream in;
        private final SocketChannel channel;

        Exchange(OutputStream out, InputStream in, SocketChannel channel) {
            this.out = out;
            this.in = in;
            this.channel = channel;
        }

        public OutputStream out() {
            return out;
        }

        /** What the client sends after a hijack (stdin). */
        public InputStream in() {
            return in;
        }

        public void close() throws IOException {
            channel.close();
        }

        public void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        public void json(int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            write("HTTP/1.1 " + status + " " + reason(status) + "\r\nApi-Version: 1.44\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n");
            out.write(b);
            out.flush();
        }

        public void empty(int status) throws IOException {
            write("HTTP/1.1 " + status + " " + reason(status) + "\r\nApi-Version: 1.44\r\n"
                    + (status == 204 || status == 304 ? "" : "Content-Length: 0\r\n") + "\r\n");
        }

        public void error(int status, String message) throws IOException {
            json(status, "{\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
        }

        /** Writes a 200 chunked head; follow with {@link #chunk} and {@link #endChunks}. */
        public void chunkedHead(String contentType) throws IOException {
            write("HTTP/1.1 200 OK\r\nApi-Version: 1.44\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        }

        public void chunk(byte[] data) throws IOException {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        public void chunk(String s) throws IOException {
            chunk(s.getBytes(StandardCharsets.UTF_8));
        }

        public void endChunks() throws IOException {
            write("0\r\n\r\n");
        }

        /** Answers an upgrade with 101 and leaves the socket as a raw pipe. */
        public void upgrade(String contentType) throws IOException {
            write("HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType
                    + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 201 -> "Created";
                case 204 -> "No Content";
                case 304 -> "Not Modified";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 409 -> "Conflict";
                default -> "Status";
            };
        }
    }

    /** An 8-byte framed chunk of the multiplexed stream. */
    public static byte[] frame(int stream, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + data.length];
        f[0] = (byte) stream;
        f[4] = (byte) (data.length >>> 24);
        f[5] = (byte) (data.length >>> 16);
        f[6] = (byte) (data.length >>> 8);
        f[7] = (byte) data.length;
        System.arraycopy(data, 0, f, 8, data.length);
        return f;
    }

    private record Route(Predicate<Request> match, Handler handler) {
    }

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String pingVersion = "1.44";

    public FakeDaemon() throws IOException {
        dir = Files.createTempDirectory("wharf-fake");
        socket = dir.resolve("d.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().name("fake-daemon").start(this::acceptLoop);
    }

    public String address() {
        return "unix://" + socket;
    }

    /** The Api-Version header that {@code /_ping} sends (null: none). */
    public FakeDaemon pingVersion(String v) {
        pingVersion = v;
        return this;
    }

    /** Routes {@code "METHOD /path"} (exact, without version or query) to the handler. */
    public FakeDaemon on(String methodAndPath, Handler h) {
        routes.add(new Route(r -> r.line().equals(methodAndPath), h));
        return this;
    }

    public FakeDaemon on(Predicate<Request> match, Handler h) {
        routes.add(new Route(match, h));
        return this;
    }

    /** Every request in arrival order, {@code /_ping} included. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The request lines ("METHOD /path") in arrival order, without pings. */
    public List<String> lines() {
        List<String> l = new ArrayList<>();
        for (Request r : requests) {
            if (!r.path().equals("/_ping")) {
                l.add(r.line());
            }
        }
        return l;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().start(() -> serve(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            Request req = read(in);
            if (req == null) {
                return;
            }
            requests.add(req);
            Exchange ex = new Exchange(out, in, ch);
            if (req.path().equals("/_ping") && routes.stream().noneMatch(r -> r.match().test(req))) {
                ex.write("HTTP/1.1 200 OK\r\n" + (pingVersion == null ? "" : "Api-Version: " + pingVersion + "\r\n")
                        + "Ostype: linux\r\nContent-Length: " + (req.method().equals("HEAD") ? "0" : "2")
                        + "\r\n\r\n" + (req.method().equals("HEAD") ? "" : "OK"));
                return;
            }
            for (Route r : routes) {
                if (r.match().test(req)) {
                    r.handler().handle(req, ex);
                    return;
                }
            }
            ex.error(404, "page not found");
        } catch (Exception e) {
            // the test sees the effect on the client side
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).trim(), h.substring(c + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            while (true) {
                int n = Integer.parseInt(line(in).trim(), 16);
                if (n == 0) {
                    line(in);
                    break;
                }
                bo.write(in.readNBytes(n));
                line(in);
            }
            body = bo.toByteArray();
        } else if (headers.containsKey("Content-Length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("Content-Length")));
        } else {
            body = new byte[0];
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (path.matches("/v\\d+\\.\\d+/.*")) {
            path = path.substring(path.indexOf('/', 1));
        }
        return new Request(parts[0], target, path, query, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return sb.toString().replace("\r", "");
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
