package dev.wharf.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.client.fake.FakeDaemon;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportTest {

    private FakeDaemon daemon;
    private HttpTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        daemon = new FakeDaemon();
        transport = new HttpTransport(DaemonAddress.parse(daemon.address()));
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    private String bodyOf(String path) throws Exception {
        try (HttpResponse r = transport.execute(HttpRequest.of("GET", path))) {
            return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void execute_readsContentLengthBody() throws Exception {
        daemon.on("GET /a", (req, ex) -> ex.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA"));
        assertThat(bodyOf("/a")).isEqualTo("hello");
    }

    @Test
    void execute_decodesChunkedBody() throws Exception {
        daemon.on("GET /a", (req, ex) -> ex.write(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-T: 1\r\n\r\n"));
        assertThat(bodyOf("/a")).isEqualTo("hello");
    }

    @Test
    void execute_readsBodyUntilClose() throws Exception {
        daemon.on("GET /a", (req, ex) -> {
            ex.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil ");
            ex.write("close");
            ex.close();
        });
        assertThat(bodyOf("/a")).isEqualTo("until close");
    }

    @Test
    void execute_headAndNoContentHaveEmptyBodies() throws Exception {
        daemon.on("POST /s", (req, ex) -> ex.empty(204));
        try (HttpResponse r = transport.execute(HttpRequest.of("POST", "/s"))) {
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.body().readAllBytes()).isEmpty();
        }
        assertThat(daemon.requests().getFirst().header("Content-Length")).isEqualTo("0");
    }

    @Test
    void execute_sendsStreamBodyChunked() throws Exception {
        daemon.on("POST /up", (req, ex) -> ex.json(200, "{\"n\":" + req.body().length + "}"));
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        InputStream in = new ByteArrayInputStream(data);
        try (HttpResponse r = transport.execute(HttpRequest.of("POST", "/up").withBodyStream("application/x-tar", in))) {
            assertThat(new String(r.body().readAllBytes())).isEqualTo("{\"n\":200000}");
        }
        FakeDaemon.Request req = daemon.requests().getFirst();
        assertThat(req.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(req.header("Content-Type")).isEqualTo("application/x-tar");
        assertThat(req.body()).isEqualTo(data);
    }

    @Test
    void execute_sendsBytesBodyWithLength() throws Exception {
        daemon.on("POST /j", (req, ex) -> ex.json(201, req.bodyText()));
        try (HttpResponse r = transport.execute(HttpRequest.of("POST", "/j").withBody("application/json",
                "{\"a\":1}".getBytes()))) {
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(new String(r.body().readAllBytes())).isEqualTo("{\"a\":1}");
        }
        assertThat(daemon.requests().getFirst().header("Content-Length")).isEqualTo("7");
    }

    @Test
    void hijack_givesRawPipeWithHalfClose() throws Exception {
        daemon.on("POST /attach", (req, ex) -> {
            assertThat(req.header("Upgrade")).isEqualTo("tcp");
            assertThat(req.header("Connection")).isEqualTo("Upgrade");
            ex.upgrade("application/vnd.docker.raw-stream");
            byte[] stdin = ex.in().readAllBytes(); // until the client's half-close
            ex.write("got:" + new String(stdin));
            ex.close();
        });
        HttpTransport.Hijack h = transport.hijack(HttpRequest.of("POST", "/attach"));
        assertThat(h.failure()).isNull();
        try (HijackedStream s = h.stream()) {
            s.output().write("ping".getBytes());
            s.closeWrite();
            assertThat(new String(s.input().readAllBytes())).isEqualTo("got:ping");
            assertThat(s.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
        }
    }

    @Test
    void hijack_returnsFailureForErrorStatus() throws Exception {
        daemon.on("POST /attach", (req, ex) -> ex.error(404, "No such container: x"));
        HttpTransport.Hijack h = transport.hijack(HttpRequest.of("POST", "/attach"));
        assertThat(h.stream()).isNull();
        assertThat(h.failure().status()).isEqualTo(404);
        h.failure().close();
    }

    @Test
    void parse_acceptsUnixTcpAndBarePaths() {
        assertThat(DaemonAddress.parse("unix:///run/x.sock").unix()).isTrue();
        assertThat(DaemonAddress.parse("/run/x.sock").text()).isEqualTo("unix:///run/x.sock");
        DaemonAddress tcp = DaemonAddress.parse("tcp://127.0.0.1:2375");
        assertThat(tcp.unix()).isFalse();
        assertThat(tcp.hostHeader()).isEqualTo("127.0.0.1:2375");
        assertThat(DaemonAddress.parse(null).text()).isEqualTo(DaemonAddress.DEFAULT);
    }
}
