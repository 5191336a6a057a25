package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /containers/{id}/attach/ws}, as docker-py's {@code attach_socket(ws=True)} uses it
 * through the websocket-client library: a websocket whose frames carry the container's output as
 * written (no stream headers) and take the client's frames as its stdin.
 */
@WharfIT
class WebSocketAttachIT {
    /** RFC 6455's own example key and the answer it gives. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @Test
    void attachBeforeStart_getsStdoutAndStderrRawInBinaryFrames_thenAClose(Api api, DockerCli docker)
            throws Exception {
        String name = Names.unique("wsout");
        try {
            docker.ok("create", "--name", name, BUSYBOX, "sh", "-c", "echo out; sleep 0.2; echo err >&2");
            try (Api.Stream ws = open(api, "/v1.44/containers/" + name + "/attach/ws?stream=1&stdout=1&stderr=1")) {
                assertThat(ws.status()).isEqualTo(101);
                assertThat(ws.header("sec-websocket-accept")).isEqualTo(ACCEPT);
                assertThat(ws.header("upgrade")).isEqualToIgnoringCase("websocket");
                assertThat(api.post("/containers/" + name + "/start").status()).isEqualTo(204);
                Frames got = readUntilClose(ws);
                assertThat(got.opcodes).containsOnly(2);
                assertThat(got.data()).isEqualTo("out\nerr\n");
                assertThat(ws.body().read()).as("the daemon closes the connection after its close frame").isEqualTo(-1);
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void clientFrames_areTheContainersStdin_andItsCloseEndsTheAttach(Api api, DockerCli docker) throws Exception {
        String name = Names.unique("wsin");
        try {
            docker.ok("run", "-d", "-i", "--name", name, BUSYBOX, "cat");
            try (Api.Stream ws = open(api, "/containers/" + name + "/attach/ws?stream=1&stdin=1&stdout=1")) {
                assertThat(ws.status()).isEqualTo(101);
                sendFrame(ws, 2, "hello ".getBytes(StandardCharsets.UTF_8));
                sendFrame(ws, 1, "websocket\n".getBytes(StandardCharsets.UTF_8));
                StringBuilder echoed = new StringBuilder();
                DataInputStream in = new DataInputStream(ws.body());
                while (!echoed.toString().contains("websocket\n")) {
                    Frame f = readFrame(in);
                    assertThat(f.opcode).isEqualTo(2);
                    echoed.append(new String(f.payload, StandardCharsets.UTF_8));
                }
                assertThat(echoed.toString()).isEqualTo("hello websocket\n");
                sendFrame(ws, 8, new byte[] {0x03, (byte) 0xe8}); // close, 1000
                Frame answer = readFrame(in);
                assertThat(answer.opcode).as("the close is answered with a close").isEqualTo(8);
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(docker.ok("inspect", "-f", "{{.State.Running}}", name).out())
                    .as("closing the websocket leaves the container running").isEqualTo("true");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void aFrameSentTogetherWithTheHandshake_isStdinToo(Api api, DockerCli docker) throws Exception {
        String name = Names.unique("wsearly");
        try {
            docker.ok("run", "-d", "-i", "--name", name, BUSYBOX, "cat");
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(("GET /containers/" + name + "/attach/ws?stream=1&stdin=1&stdout=1 HTTP/1.1\r\n"
                    + "Host: d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            request.write(maskedFrame(2, "early\n".getBytes(StandardCharsets.UTF_8)));
            try (SocketChannel sc = SocketChannel.open(UnixDomainSocketAddress.of(api.socket()))) {
                sc.write(ByteBuffer.wrap(request.toByteArray()));
                DataInputStream in = new DataInputStream(Channels.newInputStream(sc));
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.readUnsignedByte());
                }
                assertThat(head.toString()).startsWith("HTTP/1.1 101 ");
                Frame echoed = readFrame(in);
                assertThat(new String(echoed.payload, StandardCharsets.UTF_8)).isEqualTo("early\n");
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void before128_theOutputComesInTextFrames_andLogsAreReplayed(Api api, DockerCli docker) throws Exception {
        String name = Names.unique("wstext");
        try {
            docker.ok("run", "--name", name, BUSYBOX, "echo", "logged");
            try (Api.Stream ws = open(api, "/v1.27/containers/" + name + "/attach/ws?logs=1&stream=0&stdout=1")) {
                assertThat(ws.status()).isEqualTo(101);
                Frames got = readUntilClose(ws);
                assertThat(got.opcodes).containsOnly(1);
                assertThat(got.data()).isEqualTo("logged\n");
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void aMissingContainer_is404_andARequestWithoutTheHandshake_is400(Api api, DockerCli docker) throws Exception {
        String gone = Names.unique("wsgone");
        try (Api.Stream ws = open(api, "/containers/" + gone + "/attach/ws?stream=1&stdout=1")) {
            assertThat(ws.status()).isEqualTo(404);
            assertThat(new String(ws.body().readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("{\"message\":\"No such container: " + gone + "\"}");
        }
        String name = Names.unique("wsplain");
        try {
            docker.ok("create", "--name", name, BUSYBOX, "true");
            Api.Response plain = api.get("/containers/" + name + "/attach/ws?stream=1&stdout=1");
            assertThat(plain.status()).isEqualTo(400);
            assertThat(plain.message()).contains("websocket");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    private static Api.Stream open(Api api, String path) throws IOException {
        return api.open("GET", path, Map.of("Upgrade", "websocket", "Sec-WebSocket-Key", KEY,
                "Sec-WebSocket-Version", "13"), null, Duration.ofSeconds(30));
    }

    private record Frame(int opcode, byte[] payload) {
    }

    private record Frames(List<Integer> opcodes, ByteArrayOutputStream bytes) {
        String data() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Data frames up to the daemon's close frame. */
    private static Frames readUntilClose(Api.Stream ws) throws IOException {
        DataInputStream in = new DataInputStream(ws.body());
        var opcodes = new java.util.ArrayList<Integer>();
        var bytes = new ByteArrayOutputStream();
        for (Frame f = readFrame(in); f.opcode != 8; f = readFrame(in)) {
            opcodes.add(f.opcode);
            bytes.write(f.payload);
        }
        return new Frames(opcodes, bytes);
    }

    /** One frame from the server, which must not mask it. */
    private static Frame readFrame(DataInputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("the connection ended before a close frame");
        }
        int b1 = in.readUnsignedByte();
        assertThat(b0 & 0x80).as("FIN").isNotZero();
        assertThat(b1 & 0x80).as("a server's frames are not masked").isZero();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(len)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** One masked frame from the client, as RFC 6455 requires of clients. */
    private static void sendFrame(Api.Stream ws, int opcode, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(maskedFrame(opcode, payload));
        while (b.hasRemaining()) {
            ws.channel().write(b);
        }
    }

    /** A short (under 126 bytes) final frame, masked. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + payload.length);
        b.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length)).put(mask);
        for (int i = 0; i < payload.length; i++) {
            b.put((byte) (payload[i] ^ mask[i % 4]));
        }
        return b.array();
    }
}
