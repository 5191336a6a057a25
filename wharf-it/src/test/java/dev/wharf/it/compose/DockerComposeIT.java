package dev.wharf.it.compose;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCompose;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docker-compose 1.29 (Debian's package, over docker-py) runs the same application against
 * wharfd: up, scale, logs, exec, down; and Wharf's compose and docker-compose find each other's
 * containers by Docker Compose's labels. The file is the tests' application less what 1.29's schema
 * lacks (start_interval, and deploy.replicas, which 1.29 only honours with --compatibility).
 */
@WharfIT
class DockerComposeIT {

    @Test
    @Timeout(300)
    void dockerCompose129_upScaleLogsExecDown(WharfdProcess wharfd, WharfCli wharf, Api api) throws Exception {
        assertThat(DockerCompose.installed()).as(DockerCompose.BINARY + " (Debian's docker-compose)").isTrue();
        DockerCompose dc = new DockerCompose(wharfd.socket());
        ComposeProject p = ComposeProject.create("legacy", BUSYBOX, 1, "");
        Files.writeString(p.dir.resolve("compose.yaml"), Files.readString(p.dir.resolve("compose.yaml"))
                .replace("  start_interval: 100ms\n", "").replace("    deploy:\n      replicas: 1\n", ""));
        String f = p.file();
        try {
            CliResult up = dc.run("-f", f, "-p", "legacy", "up", "-d");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            CliResult ps = dc.ok("-f", f, "-p", "legacy", "ps");
            assertThat(ps.stdout()).contains("legacy_api_1", "legacy_db_1", "legacy_front_1").contains("Up (healthy)");
            HttpResponse<String> r = p.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).endsWith(" v1\n");

            CliResult scale = dc.run("-f", f, "-p", "legacy", "up", "-d", "--scale", "api=2");
            assertThat(scale.exitCode()).as(scale.toString()).isZero();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 30 && seen.size() < 2; i++) {
                seen.add(p.get().body().split(" ")[0]);
            }
            assertThat(seen).hasSize(2);

            CliResult logs = dc.ok("-f", f, "-p", "legacy", "logs", "--no-color", "db");
            assertThat(logs.stdout()).contains("db_1").contains("booted");
            CliResult exec = dc.run("-f", f, "-p", "legacy", "exec", "-T", "db", "cat", "/data/boot.log");
            assertThat(exec.exitCode()).as(exec.toString()).isZero();
            assertThat(exec.stdout()).isEqualTo("booted\n");

            // Wharf's compose sees docker-compose's project by its labels
            CliResult wps = wharf.ok("compose", "-p", "legacy", "ps", "--format", "{{.Name}} {{.Service}}");
            assertThat(wps.lines()).contains("legacy_api_1 api", "legacy_api_2 api", "legacy_db_1 db",
                    "legacy_front_1 front");

            CliResult down = dc.run("-f", f, "-p", "legacy", "down", "-v");
            assertThat(down.exitCode()).as(down.toString()).isZero();
            assertThat(api.get("/containers/json?all=1").json()).isEmpty();
            assertThat(api.get("/networks/legacy_default").status()).isEqualTo(404);
            assertThat(api.get("/volumes/legacy_data").status()).isEqualTo(404);

            // and docker-compose sees (and takes down) a project Wharf's compose made
            wharf.ok("compose", "-f", f, "-p", "legacy2", "up", "-d", "--wait", "db");
            CliResult ps2 = dc.ok("-f", f, "-p", "legacy2", "ps");
            assertThat(ps2.stdout()).contains("legacy2-db-1").contains("Up (healthy)");
            CliResult down2 = dc.run("-f", f, "-p", "legacy2", "down", "-v");
            assertThat(down2.exitCode()).as(down2.toString()).isZero();
            assertThat(api.get("/containers/json?all=1").json()).isEmpty();
            assertThat(api.get("/volumes/legacy2_data").status()).isEqualTo(404);
        } finally {
            dc.run("-f", f, "-p", "legacy", "down", "-v", "-t", "1");
            dc.run("-f", f, "-p", "legacy2", "down", "-v", "-t", "1");
        }
    }
}
