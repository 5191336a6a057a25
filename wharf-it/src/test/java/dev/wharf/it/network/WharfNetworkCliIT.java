package dev.wharf.it.network;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code wharf network ...} and {@code wharf port} against one wharfd, compared with what the
 * docker CLI prints for the same daemon wherever that output is deterministic.
 */
@WharfIT
class WharfNetworkCliIT {

    @Test
    void createLsInspectRm_matchDocker(DockerCli docker, WharfCli wharf) {
        String net = Names.unique("wnet");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String prefix = "10." + (20 + r.nextInt(60)) + "." + r.nextInt(256) + ".";
        try {
            String id = wharf.ok("network", "create", "--label", "it=wharf", "-o", "com.example.x=1",
                    "--subnet", prefix + "0/24", "--gateway", prefix + "1", "--ip-range", prefix + "128/25", net).out();
            assertThat(id).matches("[0-9a-f]{64}");

            assertThat(wharf.ok("network", "ls", "-q").stdout()).isEqualTo(docker.ok("network", "ls", "-q").stdout())
                    .contains(id.substring(0, 12) + "\n");
            assertThat(wharf.ok("network", "ls").stdout()).isEqualTo(docker.ok("network", "ls").stdout())
                    .startsWith("NETWORK ID");
            assertThat(wharf.ok("network", "list", "--no-trunc", "--filter", "label=it=wharf", "-q").stdout())
                    .isEqualTo(docker.ok("network", "ls", "--no-trunc", "--filter", "label=it=wharf", "-q").stdout())
                    .isEqualTo(id + "\n");
            assertThat(wharf.ok("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}").stdout())
                    .isEqualTo(docker.ok("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}").stdout());

            String fmt = "{{.Name}} {{.Driver}}";
            for (String ref : new String[] {net, id, id.substring(0, 12), "bridge"}) {
                assertThat(wharf.ok("network", "inspect", "-f", fmt, ref).stdout())
                        .isEqualTo(docker.ok("network", "inspect", "-f", fmt, ref).stdout());
            }
            assertThat(wharf.ok("network", "inspect", "-f", fmt, net).out()).isEqualTo(net + " bridge");
            String ipam = "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}} {{.Labels}} {{.Options}}";
            assertThat(wharf.ok("network", "inspect", "--format", ipam, net).out())
                    .isEqualTo(prefix + "0/24 " + prefix + "1 " + prefix + "128/25 map[it:wharf] map[com.example.x:1]");
            assertThat(wharf.ok("network", "inspect", net).stdout())
                    .isEqualTo(docker.ok("network", "inspect", net).stdout());

            CliResult missing = wharf.run("network", "inspect", "-f", fmt, net, "nosuch");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stdout()).isEqualTo(net + " bridge\n");
            assertThat(missing.stderr()).contains("network nosuch not found");

            assertThat(wharf.ok("network", "rm", net).stdout()).isEqualTo(net + "\n");
            assertThat(docker.ok("network", "ls", "-q", "--no-trunc").lines()).doesNotContain(id);
        } finally {
            docker.run("network", "rm", net);
        }
    }

    @Test
    void rmOfAMissingNetwork_isAnErrorLine(DockerCli docker, WharfCli wharf) {
        CliResult w = wharf.run("network", "rm", "nosuch");
        assertThat(w.exitCode()).as(w.toString()).isEqualTo(1);
        assertThat(w.stdout()).isEmpty();
        assertThat(w.stderr()).isEqualTo("Error response from daemon: network nosuch not found\n");
        CliResult d = docker.run("network", "rm", "nosuch");
        assertThat(w.exitCode()).isEqualTo(d.exitCode());
        // docker 28 adds an "exit status 1" line after the daemon's error
        assertThat(d.stderr()).startsWith(w.stderr());

        String net = Names.unique("wrm");
        try {
            wharf.ok("network", "create", net);
            CliResult both = wharf.run("network", "remove", "nosuch", net);
            assertThat(both.exitCode()).isEqualTo(1);
            assertThat(both.stdout()).isEqualTo(net + "\n");
            assertThat(both.stderr()).isEqualTo("Error response from daemon: network nosuch not found\n");
            assertThat(wharf.run("network", "rm", "-f", "nosuch").exitCode()).isZero();
        } finally {
            docker.run("network", "rm", net);
        }
    }

    @Test
    void connectAndDisconnect_withAliasAndAddress(DockerCli docker, WharfCli wharf) {
        String net = Names.unique("wcon");
        String c = Names.unique("wc");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String prefix = "10." + (20 + r.nextInt(60)) + "." + r.nextInt(256) + ".";
        try {
            wharf.ok("network", "create", "--subnet", prefix + "0/24", net);
            docker.ok("run", "-d", "--name", c, BUSYBOX, "sleep", "60");
            CliResult connect = wharf.ok("network", "connect", "--alias", "svc", "--ip", prefix + "77", net, c);
            assertThat(connect.stdout()).isEmpty();
            String onNet = "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}} "
                    + "{{(index .NetworkSettings.Networks \"" + net + "\").Aliases}}";
            assertThat(docker.ok("inspect", "-f", onNet, c).out()).startsWith(prefix + "77 [").contains("svc");
            String members = "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}";
            assertThat(wharf.ok("network", "inspect", "-f", members, net).out()).isEqualTo(c + " " + prefix + "77/24");
            assertThat(docker.ok("exec", c, "ip", "-4", "addr").stdout()).contains("inet " + prefix + "77/24");

            CliResult inUse = wharf.run("network", "rm", net);
            assertThat(inUse.exitCode()).isEqualTo(1);
            assertThat(inUse.stderr()).startsWith("Error response from daemon: ").contains("has active endpoints");

            assertThat(wharf.ok("network", "disconnect", "-f", net, c).stdout()).isEmpty();
            assertThat(wharf.ok("network", "inspect", "-f", members, net).out()).isEmpty();
            assertThat(docker.ok("inspect", "-f", "{{len .NetworkSettings.Networks}}", c).out()).isEqualTo("1");
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void port_printsWhatDockerPrints(DockerCli docker, WharfCli wharf) {
        String c = Names.unique("wport");
        try {
            docker.ok("run", "-d", "--name", c, "-p", "127.0.0.1::80", "-p", "127.0.0.1::81/udp", BUSYBOX, "sleep", "60");
            CliResult all = wharf.ok("port", c);
            assertThat(all.stdout()).isEqualTo(docker.ok("port", c).stdout())
                    .matches("(?s)80/tcp -> 127\\.0\\.0\\.1:\\d+\n81/udp -> 127\\.0\\.0\\.1:\\d+\n");
            assertThat(wharf.ok("port", c, "80").stdout()).isEqualTo(docker.ok("port", c, "80").stdout())
                    .matches("127\\.0\\.0\\.1:\\d+\n");
            assertThat(wharf.ok("container", "port", c, "81/udp").stdout())
                    .isEqualTo(docker.ok("port", c, "81/udp").stdout());
            CliResult none = wharf.run("port", c, "82");
            CliResult dockerNone = docker.run("port", c, "82");
            assertThat(none.exitCode()).isEqualTo(dockerNone.exitCode()).isEqualTo(1);
            assertThat(none.stderr()).isEqualTo(dockerNone.stderr());
        } finally {
            docker.run("rm", "-f", c);
        }
    }

    @Test
    void prune_asksFirst_thenRemovesUnusedNetworks(DockerCli docker, WharfCli wharf) {
        String a = Names.unique("wpa");
        String b = Names.unique("wpb");
        try {
            wharf.ok("network", "create", a);
            wharf.ok("network", "create", b);
            CliResult no = wharf.run("n\n".getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT,
                    "network", "prune");
            assertThat(no.exitCode()).isZero();
            assertThat(no.stdout()).isEqualTo("WARNING! This will remove all custom networks not used by at least one "
                    + "container.\nAre you sure you want to continue? [y/N] ");
            assertThat(docker.ok("network", "ls", "--format", "{{.Name}}").lines()).contains(a, b);

            CliResult yes = wharf.run("y\n".getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT,
                    "network", "prune", "--filter", "until=" + (System.currentTimeMillis() / 1000 - 3600));
            assertThat(yes.exitCode()).as(yes.toString()).isZero();
            assertThat(yes.stdout()).doesNotContain(a).doesNotContain(b);

            CliResult pruned = wharf.ok("network", "prune", "-f");
            assertThat(pruned.stdout()).startsWith("Deleted Networks:\n").endsWith("\n\n");
            assertThat(pruned.stdout().lines().skip(1).filter(l -> !l.isEmpty()).sorted().toList())
                    .containsExactlyElementsOf(java.util.stream.Stream.of(a, b).sorted().toList());
            assertThat(docker.ok("network", "ls", "--format", "{{.Name}}").lines()).doesNotContain(a, b)
                    .contains("bridge");
            assertThat(wharf.ok("network", "prune", "-f").stdout()).isEmpty();
        } finally {
            docker.run("network", "rm", a, b);
        }
    }
}
