package dev.wharf.it.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kit's HTTP client against canned answers on a local unix socket. */
class ApiTest {

    private Path dir;
    private ServerSocketChannel server;
    private final AtomicReference<String> lastRequest = new AtomicReference<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("api-test");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) server.close();
        Files.deleteIfExists(dir.resolve("s.sock"));
        Files.deleteIfExists(dir);
    }

    private Api serve(Function<String, String> answer) throws IOException {
        Path socket = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    InputStream in = Channels.newInputStream(c);
                    StringBuilder request = new StringBuilder();
                    while (!request.toString().endsWith("\r\n\r\n")) request.append((char) in.read());
                    String head = request.toString();
                    int length = head.lines().filter(l -> l.startsWith("Content-Length:"))
                            .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    lastRequest.set(head + body);
                    c.write(ByteBuffer.wrap(answer.apply(head).getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    if (server.isOpen()) throw new UncheckedIOException(e);
                }
            }
        });
        return new Api(socket);
    }

    @Test
    void contentLength() throws IOException {
        Api api = serve(r -> "HTTP/1.1 200 OK\r\nApi-Version: 1.44\r\nContent-Length: 2\r\n\r\nOK");

        Api.Response ping = api.get("/_ping");

        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.text()).isEqualTo("OK");
        assertThat(ping.header("api-version")).contains("1.44");
        assertThat(lastRequest.get()).startsWith("GET /_ping HTTP/1.1\r\n").contains("Host: localhost\r\n");
    }

    @Test
    void chunked_withJsonError() throws IOException {
        Api api = serve(r -> "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                + "10\r\n{\"message\":\"No s\r\n13\r\nuch container: x\"}\n\r\n0\r\n\r\n");

        Api.Response response = api.get("/containers/x/json");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.message()).isEqualTo("No such container: x");
    }

    @Test
    void postJson_sendsBodyAndLength() throws IOException {
        Api api = serve(r -> "HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\n{\"Id\":\"a\"}");

        Api.Response response = api.postJson("/containers/create", Map.of("Image", "x"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(lastRequest.get()).contains("Content-Type: application/json\r\n").contains("Content-Length: 13\r\n").endsWith("{\"Image\":\"x\"}");
    }

    @Test
    void headAnd204_haveNoBody() throws IOException {
        Api api = serve(r -> r.startsWith("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" : "HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(api.head("/_ping", Map.of()).body()).isEmpty();
        assertThat(api.post("/containers/a/start").status()).isEqualTo(204);
        assertThat(lastRequest.get()).contains("Content-Length: 0\r\n");
    }

    @Test
    void bodyUntilEof_andStreamLines() throws IOException {
        Api api = serve(r -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\n{\"a\":2}\n");

        try (Api.Stream stream = api.open("GET", "/events", Map.of(), null, Duration.ofSeconds(5))) {
            assertThat(stream.readLine()).isEqualTo("{\"a\":1}");
            assertThat(stream.readLine()).isEqualTo("{\"a\":2}");
            assertThat(stream.readLine()).isNull();
        }
    }

    @Test
    void deadline_closesAHungConnection() throws IOException {
        Path socket = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Api api = new Api(socket); // accepts by backlog, never answers

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> api.send("GET", "/x", Map.of(), null, Duration.ofMillis(300))).isInstanceOf(UncheckedIOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void demux_splitsFrames() {
        byte[] framed = {1, 0, 0, 0, 0, 0, 0, 4, 'o', 'u', 't', '\n', 2, 0, 0, 0, 0, 0, 0, 4, 'e', 'r', 'r', '\n'};

        assertThat(Api.demux(framed)).containsExactly("out\n", "err\n");
    }
}
