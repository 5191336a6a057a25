package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Request latency to a busybox httpd in a container on the default bridge, published on a host
 * port, beside Docker's when one answers at /var/run/docker.sock:
 * <ol>
 *   <li>container to container through the published port: a client container fetches
 *       {@code http://GATEWAY:PORT/} (DNAT on the host) N times with busybox wget;
 *   <li>container to container directly, the server's own address (no NAT), the same way: the
 *       difference to the first is what publishing costs;
 *   <li>host to container through the published port on 127.0.0.1, from this JVM.
 * </ol>
 * In the containers the loop is timed with /proc/uptime (10 ms ticks over N requests) and each
 * request is a new wget process and a new connection, as a shell script in a container makes it.
 * Usage: {@code bench/network.sh [--host unix:///PATH] [--requests N]}.
 */
public final class NetBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private int requests = 300;
    private String host;

    public static void main(String[] args) throws Exception {
        NetBench b = new NetBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host", "-H" -> b.host = args[++i];
                case "--requests", "-n" -> b.requests = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Anchored.run(host, -1, (who, api, pid) -> measure(who, api));
    }

    private void measure(String who, UnixHttp api) throws Exception {
        List<String> ids = new ArrayList<>();
        try {
            int port = freePort();
            ObjectNode web = JSON.createObjectNode();
            web.put("Image", RunRmBench.IMAGE);
            web.set("Cmd", JSON.valueToTree(List.of("sh", "-c",
                    "echo hello > /tmp/index.html; exec httpd -f -p 80 -h /tmp")));
            web.putObject("ExposedPorts").putObject("80/tcp");
            ObjectNode hc = web.putObject("HostConfig");
            hc.put("NetworkMode", "bridge");
            hc.putObject("PortBindings").putArray("80/tcp").addObject().put("HostPort", String.valueOf(port));
            String server = api.createContainer(JSON.writeValueAsBytes(web));
            ids.add(server);
            api.startContainer(server);
            JsonNode net = JSON.readTree(api.getOk("/containers/" + server + "/json").body()).path("NetworkSettings");
            String serverIp = net.path("IPAddress").asText();
            String gateway = net.path("Gateway").asText();

            fromHost(who, port);
            inContainer(api, ids, who + ": container -> published port " + gateway + ":" + port,
                    "http://" + gateway + ":" + port + "/");
            inContainer(api, ids, who + ": container -> container address " + serverIp + ":80",
                    "http://" + serverIp + "/");
        } finally {
            for (String id : ids) {
                api.send("DELETE", "/containers/" + id + "?force=1", null, null);
            }
        }
    }

    /** N fetches from this JVM to 127.0.0.1:port, each timed. */
    private void fromHost(String who, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build();
        long[] micros = new long[requests];
        long ready = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) { // httpd is up a moment after its start
            try {
                client.send(req, HttpResponse.BodyHandlers.ofString());
                break;
            } catch (IOException e) {
                if (System.nanoTime() > ready) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        for (int i = -20; i < requests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().equals("hello\n")) {
                throw new IllegalStateException("host fetch: " + r.statusCode() + " " + r.body());
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
        }
        java.util.Arrays.sort(micros);
        System.out.println(who + ": host -> published port 127.0.0.1:" + port + ": median "
                + RunRmBench.percentile(micros, 0.5) + " us  p90 " + RunRmBench.percentile(micros, 0.9)
                + " us  (n=" + requests + ")");
    }

    /** A client container fetching {@code url} N times; prints the mean per request. */
    private void inContainer(UnixHttp api, List<String> ids, String what, String url) throws Exception {
        String script = "n=" + requests + "; u=" + url + "\n"
                + "wget -qO- $u >/dev/null || exit 3\n" // warm: ARP, conntrack, page cache
                + "read s _ < /proc/uptime; i=0\n"
                + "while [ $i -lt $n ]; do wget -qO- $u >/dev/null || exit 4; i=$((i+1)); done\n"
                + "read e _ < /proc/uptime\n"
                + "echo $(( (${e%.*}${e#*.} - ${s%.*}${s#*.}) * 10000 / n ))\n";
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", RunRmBench.IMAGE);
        body.set("Cmd", JSON.valueToTree(List.of("sh", "-c", script)));
        body.putObject("HostConfig").put("NetworkMode", "bridge");
        String id = api.createContainer(JSON.writeValueAsBytes(body));
        ids.add(id);
        api.startContainer(id);
        UnixHttp.Response waited = api.send("POST", "/containers/" + id + "/wait", null, null);
        int code = JSON.readTree(waited.body()).path("StatusCode").asInt(-1);
        String out = demux(api.getOk("/containers/" + id + "/logs?stdout=1&stderr=1").body()).strip();
        if (code != 0) {
            System.out.println(what + ": failed (exit " + code + "): " + out);
            return;
        }
        System.out.println(what + ": mean " + out + " us per request (busybox wget, n=" + requests + ")");
    }

    /** The payloads of a multiplexed log stream. */
    private static String demux(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i + 8 <= b.length) {
            int len = ((b[i + 4] & 0xff) << 24) | ((b[i + 5] & 0xff) << 16) | ((b[i + 6] & 0xff) << 8) | (b[i + 7] & 0xff);
            sb.append(new String(b, i + 8, Math.min(len, b.length - i - 8), StandardCharsets.UTF_8));
            i += 8 + len;
        }
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
