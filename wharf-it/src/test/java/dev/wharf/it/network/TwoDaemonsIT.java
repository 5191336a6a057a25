package dev.wharf.it.network;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Two wharfd side by side on one host, as test suites start them: each keeps its own bridge and
 * subnet, so each one's published ports answer while the other runs containers, and a daemon that
 * would share another's bridge device refuses to start. A docker0 bridge of a running dockerd is
 * neither taken nor touched.
 */
class TwoDaemonsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twoDaemons_eachKeepItsBridgeAndSubnet_andBothPublishedPortsAnswer() throws Exception {
        boolean madeDocker0 = !Files.exists(Path.of("/sys/class/net/docker0"));
        if (madeDocker0) {
            sh("ip link add docker0 type bridge && ip addr add 172.17.0.1/16 dev docker0 && ip link set docker0 up");
        }
        String docker0Before = sh("ip -o -4 addr show dev docker0");
        int n = ThreadLocalRandom.current().nextInt(0x10000);
        String bridgeA = String.format("wta%04x", n);
        String bridgeB = String.format("wtb%04x", n);
        try (WharfdProcess a = WharfdProcess.start(bridgeA, null)) {
            assertThatThrownBy(() -> WharfdProcess.start(bridgeA, null))
                    .hasMessageContaining("wharfd exited with 1")
                    .hasMessageContaining("bridge " + bridgeA + " is in use by another wharfd (pid " + a.pid());
            try (WharfdProcess b = WharfdProcess.start(bridgeB, null)) {
                String subnetA = defaultSubnet(a);
                String subnetB = defaultSubnet(b);
                assertThat(subnetA).isNotEqualTo(subnetB).isNotEqualTo("172.17.0.0/16");
                assertThat(subnetB).isNotEqualTo("172.17.0.0/16");

                DockerCli dockerA = new DockerCli(a.socket());
                DockerCli dockerB = new DockerCli(b.socket());
                TestImages.importBusybox(a.api());
                TestImages.importBusybox(b.api());
                int portA = serve(dockerA, "web-a", "from-a");
                int portB = serve(dockerB, "web-b", "from-b");
                assertThat(fetch(portA)).isEqualTo("from-a");
                assertThat(fetch(portB)).isEqualTo("from-b");
                // a second container on each keeps the other's ports answering
                int portA2 = serve(dockerA, "web-a2", "from-a2");
                int portB2 = serve(dockerB, "web-b2", "from-b2");
                assertThat(List.of(fetch(portA), fetch(portB), fetch(portA2), fetch(portB2)))
                        .containsExactly("from-a", "from-b", "from-a2", "from-b2");
                assertThat(sh("ip -o -4 addr show dev " + bridgeA)).contains(gateway(subnetA))
                        .doesNotContain(gateway(subnetB));
                assertThat(sh("ip -o -4 addr show dev " + bridgeB)).contains(gateway(subnetB))
                        .doesNotContain(gateway(subnetA));
                dockerA.ok("rm", "-f", "web-a", "web-a2");
                dockerB.ok("rm", "-f", "web-b", "web-b2");
            }
            // once the first daemon is gone, its bridge name is free again
        }
        try (WharfdProcess again = WharfdProcess.start(bridgeA, null)) {
            assertThat(again.api().get("/_ping").status()).isEqualTo(200);
        } finally {
            assertThat(sh("ip -o -4 addr show dev docker0")).isEqualTo(docker0Before);
            if (madeDocker0) {
                sh("ip link del docker0");
            }
        }
    }

    private static String defaultSubnet(WharfdProcess d) {
        JsonNode net = d.api().get("/networks/bridge").json();
        return net.path("IPAM").path("Config").path(0).path("Subnet").asText();
    }

    private static String gateway(String subnet) {
        String base = subnet.substring(0, subnet.indexOf('/'));
        return base.substring(0, base.lastIndexOf('.')) + ".1/";
    }

    /** Runs busybox httpd answering {@code text}, published on a free port of 127.0.0.1; returns it. */
    private static int serve(DockerCli docker, String name, String text) {
        docker.ok("run", "-d", "--name", name, "-p", "127.0.0.1::80", BUSYBOX, "sh", "-c",
                "mkdir -p /www && echo " + text + " > /www/index.html && exec httpd -f -p 80 -h /www");
        CliResult port = docker.ok("port", name, "80/tcp");
        String hostPort = port.out().lines().findFirst().orElseThrow();
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1).strip());
    }

    private static String fetch(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body().strip();
                }
                last = new IllegalStateException("status " + r.statusCode());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("port " + port + " did not answer", last);
    }

    private static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + ": " + out);
        }
        return out.strip();
    }
}
