package dev.wharf.cli;

import dev.wharf.cli.term.Terminal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training run for the AOT cache ({@code -XX:AOTCacheOutput}, made at {@code package}):
 * runs the common commands against a canned daemon on a temporary socket, so that the classes
 * of a real {@code wharf ps} (picocli, the transport, Jackson, the formatters) are in the cache.
 * Not part of the command line.
 */
public final class AotTraining {

    private static final String CONTAINERS = "[{\"Id\":\"" + "a".repeat(64) + "\",\"Names\":[\"/web\"],"
            + "\"Image\":\"busybox\",\"ImageID\":\"sha256:" + "b".repeat(64) + "\",\"Command\":\"sh -c 'sleep 1000'\","
            + "\"Created\":1700000000,\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,"
            + "\"Type\":\"tcp\"}],\"Labels\":{\"a\":\"b\"},\"State\":\"running\",\"Status\":\"Up 2 minutes\","
            + "\"HostConfig\":{\"NetworkMode\":\"default\"},\"NetworkSettings\":{\"Networks\":{\"bridge\":{}}},"
            + "\"Mounts\":[]}]";
    private static final String IMAGES = "[{\"Containers\":-1,\"Created\":1700000000,\"Id\":\"sha256:"
            + "b".repeat(64) + "\",\"Labels\":null,\"ParentId\":\"\",\"RepoDigests\":[],\"RepoTags\":[\"busybox:latest\"],"
            + "\"SharedSize\":-1,\"Size\":4261550}]";
    private static final String INSPECT = "{\"Id\":\"" + "a".repeat(64) + "\",\"Name\":\"/web\",\"State\":"
            + "{\"Status\":\"running\",\"Running\":true,\"ExitCode\":0},\"Config\":{\"Tty\":false,\"Image\":\"busybox\","
            + "\"Labels\":{}},\"HostConfig\":{\"NetworkMode\":\"default\"}}";
    private static final String VERSION = "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.44\",\"MinAPIVersion\":\"1.24\","
            + "\"Components\":[{\"Name\":\"Engine\",\"Version\":\"0.1.0\",\"Details\":{\"ApiVersion\":\"1.44\"}}]}";

    private static final String COMPOSE = """
            x-hc: &hc {interval: 1s, retries: 3}
            services:
              web:
                image: busybox:${TAG:-latest}
                ports: ["8080:80"]
                volumes: ["data:/data", "./x:/x:ro"]
                healthcheck: {<<: *hc, test: [CMD, "true"]}
                depends_on: {db: {condition: service_healthy}}
                deploy: {replicas: 2, update_config: {order: start-first}}
              db:
                image: busybox
                environment: [A=1]
            volumes:
              data:
            """;

    private AotTraining() {
    }

    /** {@code common} (the default), {@code lite} or {@code compose}: which cache this run trains. */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "common";
        Path dir = Files.createTempDirectory("wharf-aot");
        Path sock = dir.resolve("d.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> serve(server), "aot-daemon");
            t.setDaemon(true);
            t.start();
            String h = "unix://" + sock;
            switch (mode) {
                case "compose" -> compose(dir, h);
                case "lite" -> lite(dir, h);
                default -> {
                    lite(dir, h);
                    common(h);
                }
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The commands people type most that need no Jackson databind (bin/wharf's list of "lite"
     * commands): every class of a cache is loaded at each start, and databind is a third of them.
     */
    private static void lite(Path dir, String h) {
        run(new String[][] {
            {"-H", h, "ps"}, {"-H", h, "ps", "--format", "table {{.ID}}\\t{{.Names}}"}, {"-H", h, "ps", "-q"},
            {"-H", h, "images"}, {"-H", h, "images", "-q"}, {"-H", h, "version"},
            {"-H", h, "rm", "nosuch"}, {"-H", h, "rm", "-f", "web"}, {"-H", h, "stop", "web"},
            {"-H", h, "start", "web"}, {"-H", h, "logs", "web"}, {"-H", h, "exec", "web", "true"},
            {"-H", "unix://" + dir.resolve("none.sock"), "ps"}, {"ps", "--bogus"}, {"rm"},
            {"-H", h, "run", "--rm", "busybox", "true"}, {"-H", h, "run", "-d", "--name", "web", "busybox", "top"},
            {"-H", h, "run", "--rm", "-e", "A=1", "-v", "/tmp:/tmp", "-p", "8080:80", "busybox", "true"},
            {"-H", h, "create", "busybox"},
        });
    }

    /** The other common commands: inspect, formats that print JSON. */
    private static void common(String h) {
        run(new String[][] {
            {"-H", h, "ps", "-a", "--format", "json"}, {"-H", h, "inspect", "web"},
            {"-H", h, "inspect", "-f", "{{.State.Running}} {{json .Config}}", "web"},
        });
    }

    private static void run(String[][] lines) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        for (String[] l : lines) {
            Main.run(l, sink, sink, new ByteArrayInputStream(new byte[0]), new Terminal(), Map.of());
        }
    }

    /** wharf compose: the loader (YAML, interpolation, merge), the planner and the first calls of up. */
    private static void compose(Path dir, String h) throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, COMPOSE);
        String f = file.toString();
        for (String[] l : new String[][] {
            {"-H", h, "compose", "-f", f, "config", "-q"}, {"-H", h, "compose", "-f", f, "config"},
            {"-H", h, "compose", "-f", f, "ps"}, {"-H", h, "compose", "-f", f, "--progress", "plain", "up", "-d"},
            {"-H", h, "compose", "-f", f, "logs", "web"},
        }) {
            Main.run(l, sink, sink, new ByteArrayInputStream(new byte[0]), new Terminal(), Map.of("HOME", dir.toString()));
        }
        Files.deleteIfExists(file);
    }

    private static void serve(ServerSocketChannel server) {
        while (true) {
            try (SocketChannel ch = server.accept()) {
                String head = readHead(ch);
                String[] first = head.split(" ", 3);
                String method = first[0];
                String path = first.length > 1 ? first[1].replaceFirst("^/v1\\.\\d+", "").replaceFirst("\\?.*", "") : "";
                String body;
                int status = 200;
                if (path.equals("/_ping")) {
                    body = method.equals("HEAD") ? "" : "OK";
                } else if (path.equals("/containers/json")) {
                    body = CONTAINERS;
                } else if (path.equals("/images/json")) {
                    body = IMAGES;
                } else if (path.equals("/version")) {
                    body = VERSION;
                } else if (path.equals("/containers/web/json")) {
                    body = INSPECT;
                } else if (path.endsWith("/logs")) {
                    body = "\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003hi\n";
                } else if (path.endsWith("/attach") || path.startsWith("/exec/") && path.endsWith("/start")) {
                    // hijacked: 101, one stdout frame, then the end of the stream
                    ch.write(ByteBuffer.wrap(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream"
                            + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003hi\n")
                            .getBytes(StandardCharsets.ISO_8859_1)));
                    continue;
                } else if (path.equals("/containers/create") || path.endsWith("/exec")) {
                    status = 201;
                    body = "{\"Id\":\"" + "a".repeat(64) + "\",\"Warnings\":[]}";
                } else if (path.endsWith("/wait")) {
                    body = "{\"StatusCode\":0,\"Error\":null}";
                } else if (path.startsWith("/exec/") && path.endsWith("/json")) {
                    body = "{\"ID\":\"e\",\"Running\":false,\"ExitCode\":0,\"ProcessConfig\":{\"tty\":false,"
                            + "\"entrypoint\":\"true\",\"arguments\":[],\"privileged\":false,\"user\":\"\"},\"Pid\":1}";
                } else if (path.endsWith("/start") || path.endsWith("/stop") || method.equals("DELETE")
                        && !path.contains("nosuch")) {
                    status = 204;
                    body = "";
                } else {
                    status = 404;
                    body = "{\"message\":\"No such container: nosuch\"}";
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                String resp = "HTTP/1.1 " + status + " X\r\nApi-Version: 1.44\r\nContent-Type: application/json\r\n"
                        + (status == 204 ? "" : "Content-Length: " + (method.equals("HEAD") ? 0 : b.length) + "\r\n")
                        + "\r\n";
                ch.write(ByteBuffer.wrap(resp.getBytes(StandardCharsets.US_ASCII)));
                if (!method.equals("HEAD")) {
                    ch.write(ByteBuffer.wrap(b));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(SocketChannel ch) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!sb.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) <= 0) {
                break;
            }
            sb.append((char) one.get(0));
        }
        String head = sb.toString();
        int cl = head.toLowerCase().indexOf("content-length: ");
        if (cl >= 0) {
            int n = Integer.parseInt(head.substring(cl + 16, head.indexOf("\r\n", cl)).trim());
            ByteBuffer body = ByteBuffer.allocate(n);
            while (body.hasRemaining() && ch.read(body) > 0) {
                // drain the body
            }
        }
        return head;
    }
}
