package dev.wharf.engine.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory registry speaking the part of the distribution API (v2) that pull and push use,
 * over plain HTTP on a loopback port (Docker treats 127.0.0.0/8 as insecure, so no TLS): blobs,
 * chunked and monolithic uploads, manifests by tag and digest, and the tag list. For the image
 * service's unit tests only; the integration tests run the real registry.
 */
final class TinyRegistry implements AutoCloseable {

    private record Manifest(String mediaType, byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    private final java.net.ServerSocket front;

    TinyRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        front = new java.net.ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tiny-registry-front").start(this::acceptLoop);
    }

    /** {@code 127.0.0.1:<port>}, the registry part of a reference. */
    String host() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    /**
     * What a plain-HTTP registry does when a client tries TLS first (as Docker's client does with
     * an insecure registry): it answers in plain text, so the client falls back to HTTP. The JDK's
     * server would wait for a request line instead; this front answers TLS hellos and passes
     * everything else through.
     */
    private void acceptLoop() {
        while (!front.isClosed()) {
            try {
                java.net.Socket c = front.accept();
                Thread.ofVirtual().start(() -> serve(c));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(java.net.Socket c) {
        try (c) {
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(c.getInputStream(), 1);
            int first = in.read();
            if (first < 0) {
                return;
            }
            if (first == 0x16) {
                c.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            in.unread(first);
            try (java.net.Socket back = new java.net.Socket(InetAddress.getLoopbackAddress(),
                    server.getAddress().getPort())) {
                Thread up = Thread.ofVirtual().start(() -> {
                    try {
                        in.transferTo(back.getOutputStream());
                        back.shutdownOutput();
                    } catch (IOException gone) {
                        // either side closed
                    }
                });
                back.getInputStream().transferTo(c.getOutputStream());
                up.join();
            }
        } catch (IOException | InterruptedException gone) {
            // the client went away
        }
    }

    /** The requests received, as {@code METHOD path}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    int blobCount() {
        return blobs.size();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getPath();
            String query = x.getRequestURI().getRawQuery();
            requests.add(method + " " + path);
            byte[] body = x.getRequestBody().readAllBytes();
            x.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(x, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            int m = path.lastIndexOf("/manifests/");
            int up = path.indexOf("/blobs/uploads");
            int b = path.lastIndexOf("/blobs/");
            if (path.endsWith("/tags/list")) {
                String name = path.substring(4, path.length() - "/tags/list".length());
                TreeSet<String> tags = new TreeSet<>();
                manifests.keySet().stream().filter(k -> k.startsWith(name + ":") && !k.contains("@"))
                        .forEach(k -> tags.add(k.substring(name.length() + 1)));
                String json = "{\"name\":\"" + name + "\",\"tags\":[" + String.join(",",
                        tags.stream().map(t -> "\"" + t + "\"").toList()) + "]}";
                send(x, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
            } else if (m > 0) {
                manifest(x, method, path.substring(4, m), path.substring(m + "/manifests/".length()), body);
            } else if (up > 0) {
                upload(x, method, path.substring(4, up), path.substring(up + "/blobs/uploads".length()), query, body);
            } else if (b > 0) {
                blob(x, method, path.substring(b + "/blobs/".length()));
            } else {
                error(x, 404, "NAME_UNKNOWN", "repository name not known to registry");
            }
        }
    }

    private void manifest(HttpExchange x, String method, String name, String ref, byte[] body) throws IOException {
        if (method.equals("PUT")) {
            String digest = digest(body);
            Manifest mf = new Manifest(x.getRequestHeaders().getFirst("Content-Type"), body);
            manifests.put(name + "@" + digest, mf);
            if (!ref.startsWith("sha256:")) {
                manifests.put(name + ":" + ref, mf);
            }
            x.getResponseHeaders().set("Docker-Content-Digest", digest);
            x.getResponseHeaders().set("Location", "/v2/" + name + "/manifests/" + digest);
            send(x, 201, null, new byte[0]);
            return;
        }
        Manifest mf = manifests.get(name + (ref.startsWith("sha256:") ? "@" : ":") + ref);
        if (mf == null) {
            error(x, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        x.getResponseHeaders().set("Docker-Content-Digest", digest(mf.body()));
        send(x, 200, mf.mediaType(), method.equals("HEAD") ? null : mf.body(), mf.body().length);
    }

    private void blob(HttpExchange x, String method, String digest) throws IOException {
        byte[] data = blobs.get(digest);
        if (data == null) {
            error(x, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        x.getResponseHeaders().set("Docker-Content-Digest", digest);
        send(x, 200, "application/octet-stream", method.equals("HEAD") ? null : data, data.length);
    }

    private void upload(HttpExchange x, String method, String name, String rest, String query, byte[] body)
            throws IOException {
        Map<String, String> q = new java.util.HashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                q.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        if (method.equals("POST")) {
            if (q.containsKey("mount") && blobs.containsKey(q.get("mount"))) {
                x.getResponseHeaders().set("Docker-Content-Digest", q.get("mount"));
                x.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + q.get("mount"));
                send(x, 201, null, new byte[0]);
                return;
            }
            String id = UUID.randomUUID().toString();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            buf.write(body);
            if (q.containsKey("digest")) {
                finish(x, name, q.get("digest"), buf);
                return;
            }
            uploads.put(id, buf);
            accepted(x, name, id, buf);
            return;
        }
        String id = rest.startsWith("/") ? rest.substring(1) : rest;
        ByteArrayOutputStream buf = uploads.get(id);
        if (buf == null) {
            error(x, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        buf.write(body);
        if (method.equals("PUT")) {
            uploads.remove(id);
            finish(x, name, q.get("digest"), buf);
        } else {
            accepted(x, name, id, buf);
        }
    }

    private void accepted(HttpExchange x, String name, String id, ByteArrayOutputStream buf) throws IOException {
        x.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/uploads/" + id);
        x.getResponseHeaders().set("Docker-Upload-UUID", id);
        x.getResponseHeaders().set("Range", "0-" + Math.max(0, buf.size() - 1));
        send(x, 202, null, new byte[0]);
    }

    private void finish(HttpExchange x, String name, String digest, ByteArrayOutputStream buf) throws IOException {
        byte[] data = buf.toByteArray();
        if (digest == null || !digest.equals(digest(data))) {
            error(x, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
            return;
        }
        blobs.put(digest, data);
        x.getResponseHeaders().set("Docker-Content-Digest", digest);
        x.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + digest);
        send(x, 201, null, new byte[0]);
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        send(x, status, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"detail\":null}]}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        send(x, status, type, body, body == null ? 0 : body.length);
    }

    /** {@code body} null: a HEAD answer, with the length the GET would have. */
    private static void send(HttpExchange x, int status, String type, byte[] body, long length) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        if (body == null) {
            x.getResponseHeaders().set("Content-Length", String.valueOf(length));
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String digest(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            front.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        server.stop(0);
    }
}
