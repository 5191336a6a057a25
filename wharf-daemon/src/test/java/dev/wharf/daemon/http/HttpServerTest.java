package dev.wharf.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.NotFoundException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class HttpServerTest {
    @TempDir
    static Path dir;
    static Path socket;
    static HttpServer server;
    static final CountDownLatch streamGate = new CountDownLatch(1);
    static final CountDownLatch gone = new CountDownLatch(1);
    static final AtomicLong bigWritten = new AtomicLong();
    static final CountDownLatch slowGate = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        Router r = new Router()
                .add("GET", "/containers/json", ex -> ex.respondJson(200,
                        Map.of("version", ex.version().toString(), "path", ex.path(),
                                "all", ex.queryBool("all", false))))
                .add("GET", "/containers/{id}/json", ex -> {
                    throw new NotFoundException("No such container: " + ex.param("id"));
                })
                .add("GET", "/images/json", ex -> ex.respondJson(200, Map.of("route", "list")))
                .add("GET", "/images/{name*}/json", ex -> ex.respondJson(200, Map.of("route", "inspect", "name", ex.param("name"))))
                .add("POST", "/images/{name*}/tag", ex -> ex.respondJson(201,
                        Map.of("name", ex.param("name"), "repo", ex.query("repo"))))
                .add("DELETE", "/images/{name*}", ex -> ex.respondJson(200, Map.of("route", "delete", "name", ex.param("name"))))
                .add("GET", "/_ping", ex -> ex.respond(200, "text/plain; charset=utf-8", "OK".getBytes()))
                .add("HEAD", "/_ping", ex -> ex.respond(200, "text/plain; charset=utf-8", "OK".getBytes()))
                .add("GET", "/stream", ex -> {
                    try (OutputStream out = ex.stream(200, "application/json")) {
                        out.write("{\"first\":1}\n".getBytes());
                        streamGate.await();
                        out.write("{\"second\":2}\n".getBytes());
                    }
                })
                .add("GET", "/long", ex -> {
                    ex.onClientGone(gone::countDown);
                    ex.stream(200, "application/json");
                    gone.await(5, TimeUnit.SECONDS);
                })
                .add("GET", "/big", ex -> {
                    try (OutputStream out = ex.stream(200, "application/octet-stream")) {
                        byte[] block = new byte[64 << 10];
                        for (int i = 0; i < 64; i++) {
                            out.write(block);
                            bigWritten.addAndGet(block.length);
                        }
                    }
                })
                .add("POST", "/echo-body", ex -> ex.respond(200, "text/plain", ex.body().readAllBytes()))
                .add("POST", "/json", ex -> ex.respondJson(200, ex.bodyJson(Map.class)))
                .add("POST", "/slow-body", ex -> {
                    slowGate.await();
                    ex.respond(200, "text/plain", String.valueOf(ex.body().transferTo(OutputStream.nullOutputStream())).getBytes());
                })
                .add("POST", "/ignore-body", ex -> ex.respondEmpty(204))
                .add("POST", "/hijack", ex -> {
                    try (Hijack h = ex.hijack("application/vnd.docker.raw-stream")) {
                        h.in().transferTo(h.out());
                        h.out().write("bye".getBytes());
                    }
                });
        socket = dir.resolve("wharf.sock");
        Files.writeString(socket, "stale");
        server = new HttpServer(r, new ObjectMapper(), new ServerInfo("25.0.0-wharf"));
        server.listenUnix(socket, 0660);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient.Response call(String method, String path, String body, String... headers) throws Exception {
        try (var c = new RawClient(socket)) {
            return c.exchange(method, path, body, headers);
        }
    }

    @Test
    void socket_hasRequestedMode() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
    }

    @Test
    void versionedAndUnversionedPaths_route() throws Exception {
        var v = call("GET", "/v1.41/containers/json?all=1", null);
        assertThat(v.status()).isEqualTo(200);
        assertThat(v.text()).contains("\"version\":\"1.41\"", "\"path\":\"/containers/json\"", "\"all\":true");
        var u = call("GET", "/containers/json?all=False", null);
        assertThat(u.status()).isEqualTo(200);
        assertThat(u.text()).contains("\"version\":\"1.44\"", "\"all\":false");
    }

    @Test
    void versionOutOfRange_is400() throws Exception {
        var high = call("GET", "/v1.99/containers/json", null);
        assertThat(high.status()).isEqualTo(400);
        assertThat(high.text()).isEqualTo(
                "{\"message\":\"client version 1.99 is too new. Maximum supported API version is 1.44\"}");
        var low = call("GET", "/v1.12/containers/json", null);
        assertThat(low.status()).isEqualTo(400);
        assertThat(low.text()).isEqualTo("{\"message\":\"client version 1.12 is too old. Minimum supported API version"
                + " is 1.24, please upgrade your client to a newer version\"}");
        assertThat(low.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void unknownRoute_is404PageNotFound() throws Exception {
        var r = call("GET", "/v1.44/nope", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("{\"message\":\"page not found\"}");
        assertThat(call("PUT", "/containers/json", "").status()).isEqualTo(404);
    }

    @Test
    void everyResponse_carriesStandardHeaders() throws Exception {
        for (var r : new RawClient.Response[] {call("GET", "/_ping", null), call("GET", "/nope", null)}) {
            assertThat(r.header("Api-Version")).isEqualTo("1.44");
            assertThat(r.header("Ostype")).isEqualTo("linux");
            assertThat(r.header("Docker-Experimental")).isEqualTo("false");
            assertThat(r.header("Server")).isEqualTo("Docker/25.0.0-wharf (linux)");
        }
    }

    @Test
    void head_sendsHeadersOnly() throws Exception {
        try (var c = new RawClient(socket)) {
            var r = c.exchange("HEAD", "/_ping", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("2");
            var g = c.exchange("GET", "/_ping", null); // the HEAD left no body bytes behind
            assertThat(g.text()).isEqualTo("OK");
        }
    }

    @Test
    void greedyImageRoutes_matchNamesWithSlashesAndColons() throws Exception {
        var tag = call("POST", "/v1.44/images/127.0.0.1:5000/bb:1/tag?repo=x%2Fy&tag=2", "");
        assertThat(tag.status()).isEqualTo(201);
        assertThat(tag.text()).contains("\"name\":\"127.0.0.1:5000/bb:1\"", "\"repo\":\"x/y\"");
        assertThat(call("GET", "/images/json", null).text()).contains("\"route\":\"list\"");
        assertThat(call("GET", "/images/a/b%3Ac/json", null).text()).contains("\"name\":\"a/b:c\"");
        assertThat(call("DELETE", "/images/reg:5000/a/b:1", null).text()).contains("\"route\":\"delete\"",
                "\"name\":\"reg:5000/a/b:1\"");
    }

    @Test
    void stream_sendsHeadersAndFirstChunkBeforeHandlerEnds() throws Exception {
        try (var c = new RawClient(socket)) {
            c.send(RawClient.request("GET", "/stream", null));
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Api-Version")).isEqualTo("1.44");
            assertThat(new String(c.readChunk())).isEqualTo("{\"first\":1}\n");
            streamGate.countDown();
            assertThat(new String(c.readChunk())).isEqualTo("{\"second\":2}\n");
            assertThat(c.readChunk()).isNull();
        }
    }

    @Test
    void stream_blocksWriterWhileClientDoesNotRead() throws Exception {
        try (var c = new RawClient(socket)) {
            c.send(RawClient.request("GET", "/big", null));
            assertThat(stalled(bigWritten)).as("bytes the handler wrote before back-pressure held it")
                    .isLessThan(2L << 20);
            var r = c.readResponse(false);
            assertThat(r.body()).hasSize(4 << 20);
            assertThat(bigWritten.get()).isEqualTo(4L << 20);
        }
    }

    @Test
    void clientClosing_firesOnClientGone() throws Exception {
        try (var c = new RawClient(socket)) {
            c.send(RawClient.request("GET", "/long", null));
            assertThat(c.readHead().status()).isEqualTo(200);
        }
        assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void chunkedRequestBody_isStreamedToHandler() throws Exception {
        try (var c = new RawClient(socket)) {
            c.send("POST /echo-body HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n");
            c.send("5\r\nworld\r\n0\r\n\r\n");
            var r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello world");
        }
    }

    @Test
    void largeBody_isStreamed() throws Exception {
        String big = "x".repeat(5 << 20);
        var r = call("POST", "/echo-body", big, "Content-Type: text/plain");
        assertThat(r.body()).hasSize(5 << 20);
    }

    @Test
    void requestBody_isNotBufferedWhileHandlerDoesNotRead() throws Exception {
        int total = 8 << 20;
        AtomicLong sent = new AtomicLong();
        try (var c = new RawClient(socket)) {
            c.send("POST /slow-body HTTP/1.1\r\nHost: d\r\nContent-Length: " + total + "\r\n\r\n");
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] block = new byte[64 << 10];
                try {
                    for (int i = 0; i < total / block.length; i++) {
                        c.send(block);
                        sent.addAndGet(block.length);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(stalled(sent)).as("bytes the client sent before back-pressure held it")
                    .isLessThan(4L << 20);
            slowGate.countDown();
            writer.join();
            assertThat(c.readResponse(false).text()).isEqualTo(String.valueOf(total));
        }
    }

    @Test
    void json_parsedOrRejected() throws Exception {
        assertThat(call("POST", "/json", "{\"a\":1}", "Content-Type: application/json; charset=utf-8").text())
                .isEqualTo("{\"a\":1}");
        var bad = call("POST", "/json", "{\"a\":", "Content-Type: application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).startsWith("{\"message\":\"invalid JSON");
        var wrongType = call("POST", "/json", "{}", "Content-Type: text/plain");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.text())
                .isEqualTo("{\"message\":\"Content-Type specified (text/plain) must be 'application/json'\"}");
        assertThat(call("POST", "/json", "", "Content-Type: text/plain").text()).isEqualTo("null");
    }

    @Test
    void notFoundException_is404Json() throws Exception {
        var r = call("GET", "/containers/abc/json", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo("{\"message\":\"No such container: abc\"}");
    }

    @Test
    void keepAlive_servesRequestsInOrderOnOneConnection() throws Exception {
        try (var c = new RawClient(socket)) {
            assertThat(c.exchange("GET", "/_ping", null).text()).isEqualTo("OK");
            assertThat(c.exchange("POST", "/ignore-body", "unread body").status()).isEqualTo(204);
            assertThat(c.exchange("GET", "/containers/json", null).status()).isEqualTo(200);
            // pipelined: both requests in one write
            c.send(RawClient.request("POST", "/echo-body", "one") + RawClient.request("POST", "/echo-body", "two"));
            assertThat(c.readResponse(false).text()).isEqualTo("one");
            assertThat(c.readResponse(false).text()).isEqualTo("two");
        }
    }

    @Test
    void connectionClose_isHonoured() throws Exception {
        try (var c = new RawClient(socket)) {
            var r = c.exchange("GET", "/_ping", null, "Connection: close");
            assertThat(r.text()).isEqualTo("OK");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void hijackWithUpgrade_echoesUntilHalfCloseThenKeepsWriting() throws Exception {
        try (var c = new RawClient(socket)) {
            // stdin bytes right behind the request, in the same write
            c.send(RawClient.request("POST", "/v1.44/hijack?stdin=1", null,
                    "Connection: Upgrade", "Upgrade: tcp", "Content-Type: text/plain") + "ping ");
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.reason()).isEqualTo("UPGRADED");
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("Upgrade")).isEqualTo("tcp");
            assertThat(head.header("Api-Version")).isEqualTo("1.44");
            assertThat(head.header("Transfer-Encoding")).isNull();
            c.send("pong");
            c.shutdownOutput();
            assertThat(new String(c.readToEof(), StandardCharsets.UTF_8)).isEqualTo("ping pongbye");
        }
    }

    @Test
    void hijackWithoutUpgrade_isBare200EndedByClose() throws Exception {
        try (var c = new RawClient(socket)) {
            c.send(RawClient.request("POST", "/hijack", "{}", "Content-Type: application/json"));
            c.shutdownOutput();
            var r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.text()).isEqualTo("bye");
        }
    }

    /**
     * Waits until {@code counter} has moved and then stopped moving (five reads 20 ms apart agree),
     * as a writer held by back-pressure does; returns where it stopped.
     */
    private static long stalled(AtomicLong counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = -1;
        int same = 0;
        while (System.nanoTime() < deadline) {
            long now = counter.get();
            same = now > 0 && now == last ? same + 1 : 0;
            if (same >= 5) {
                return now;
            }
            last = now;
            Thread.sleep(20);
        }
        throw new AssertionError("the writer never stalled; it wrote " + counter.get());
    }
}
