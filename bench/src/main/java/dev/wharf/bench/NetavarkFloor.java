package dev.wharf.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor of the bridge rows: {@code netavark setup} and {@code teardown} of one container's
 * namespace on a bridge of the bench's own, run directly, outside wharfd. A second namespace stays
 * attached the whole time, as wharfd's bridge keeper does, so every timed set-up finds the bridge
 * and the network's firewall rules in place and each teardown is a partial one: what a container
 * start and removal on a busy bridge cost in netavark alone (on Debian 12, netavark 1.4 checks and
 * adds its iptables rules one {@code iptables} process at a time).
 */
final class NetavarkFloor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NETAVARK = Path.of("/usr/lib/podman/netavark");
    private static final Path AARDVARK = Path.of("/usr/lib/podman/aardvark-dns");
    /** Away from the subnets wharfd picks by default (172.17-23 and 10.86-87 for its bridge, 10.89 for networks). */
    private static final String SUBNET = "10.254.77.0/24";
    private static final String GATEWAY = "10.254.77.1";

    private NetavarkFloor() {
    }

    /** {@code runs} timed set-ups and teardowns after one untimed pair; returns {setups, teardowns} in ms. */
    static long[][] measure(Path work, int runs) throws Exception {
        String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        String bridge = "wbnv" + tag;
        String networkId = hex64();
        Path config = Files.createDirectories(work.resolve("netavark-floor"));
        String keeper = "wharf-bench-nv-" + tag + "-k";
        String keeperConfig = options(hex64(), networkId, bridge, "10.254.77.250");
        RunRmBench.exec(List.of("ip", "netns", "add", keeper), Map.of());
        boolean keeperUp = false;
        try {
            netavark(config, "setup", keeper, keeperConfig);
            keeperUp = true;
            long[] setups = new long[runs];
            long[] teardowns = new long[runs];
            for (int i = -1; i < runs; i++) {
                String ns = "wharf-bench-nv-" + tag + "-" + (i + 1);
                String opts = options(hex64(), networkId, bridge, "10.254.77." + (10 + (i + 1) % 200));
                RunRmBench.exec(List.of("ip", "netns", "add", ns), Map.of());
                try {
                    long t0 = System.nanoTime();
                    netavark(config, "setup", ns, opts);
                    long t1 = System.nanoTime();
                    netavark(config, "teardown", ns, opts);
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        setups[i] = TimeUnit.NANOSECONDS.toMillis(t1 - t0);
                        teardowns[i] = TimeUnit.NANOSECONDS.toMillis(t2 - t1);
                    }
                } finally {
                    RunRmBench.exec(List.of("ip", "netns", "delete", ns), Map.of());
                }
            }
            return new long[][] {setups, teardowns};
        } finally {
            if (keeperUp) {
                // the last container leaves: netavark removes the bridge and the network's rules
                netavark(config, "teardown", keeper, keeperConfig);
            }
            RunRmBench.exec(List.of("ip", "netns", "delete", keeper), Map.of());
        }
    }

    /** netavark's NetworkOptions for one container with one address on the bench's bridge network. */
    private static String options(String containerId, String networkId, String bridge, String ip) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        o.put("container_id", containerId);
        o.put("container_name", "wharf-bench-nv");
        ObjectNode per = o.putObject("networks").putObject("wharf-bench-nv");
        per.put("interface_name", "eth0");
        per.putArray("static_ips").add(ip);
        ObjectNode net = o.putObject("network_info").putObject("wharf-bench-nv");
        net.put("name", "wharf-bench-nv");
        net.put("id", networkId);
        net.put("driver", "bridge");
        net.put("network_interface", bridge);
        ObjectNode subnet = net.putArray("subnets").addObject();
        subnet.put("subnet", SUBNET);
        subnet.put("gateway", GATEWAY);
        net.put("ipv6_enabled", false);
        net.put("internal", false);
        net.put("dns_enabled", false);
        return JSON.writeValueAsString(o);
    }

    private static void netavark(Path config, String verb, String netns, String options) throws Exception {
        Process p = new ProcessBuilder(NETAVARK.toString(), "--config", config.toString(), "--aardvark-binary",
                AARDVARK.toString(), verb, "/run/netns/" + netns)
                .redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(options.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("netavark " + verb + " exited with " + p.exitValue() + ": " + out.strip());
        }
    }

    private static String hex64() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
