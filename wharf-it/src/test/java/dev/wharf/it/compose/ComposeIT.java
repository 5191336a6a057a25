package dev.wharf.it.compose;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code wharf compose} runs a whole application from one file: up (in dependency order, with
 * conditions), ps, logs, exec, run, scale, a second up that recreates only what changed, down with
 * data kept, down -v, and config errors named by file and line.
 */
@WharfIT
class ComposeIT {

    private static List<JsonNode> containers(Api api, String project, boolean all) {
        String f = Api.q("{\"label\":{\"com.docker.compose.project=" + project + "\":true}}");
        List<JsonNode> out = new ArrayList<>();
        api.get("/containers/json?all=" + (all ? 1 : 0) + "&filters=" + f).json().forEach(out::add);
        return out;
    }

    private static Map<String, JsonNode> byName(Api api, String project) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode c : containers(api, project, true)) {
            m.put(c.path("Names").path(0).asText().substring(1), api.get("/containers/" + c.path("Id").asText()
                    + "/json").json());
        }
        return m;
    }

    private static Instant time(String s) {
        return Instant.parse(s);
    }

    @Test
    @Timeout(300)
    void up_ps_logs_exec_scale_down_keepsData(WharfCli wharf, Api api, DockerCli docker) throws Exception {
        ComposeProject p = ComposeProject.create("shop", BUSYBOX, 2, "");
        try {
            CliResult up = wharf.run(p.args("up", "-d"));
            assertThat(up.exitCode()).as(up.toString()).isZero();
            assertThat(up.stderr()).contains("Container shop-db-1  Healthy", "Container shop-front-1  Started");

            Map<String, JsonNode> cs = byName(api, "shop");
            assertThat(cs).containsOnlyKeys("shop-front-1", "shop-api-1", "shop-api-2", "shop-db-1", "shop-migrate-1");
            JsonNode db = cs.get("shop-db-1");
            JsonNode labels = db.path("Config").path("Labels");
            assertThat(labels.path("com.docker.compose.project").asText()).isEqualTo("shop");
            assertThat(labels.path("com.docker.compose.service").asText()).isEqualTo("db");
            assertThat(labels.path("com.docker.compose.container-number").asText()).isEqualTo("1");
            assertThat(labels.path("com.docker.compose.oneoff").asText()).isEqualTo("False");
            assertThat(labels.path("com.docker.compose.config-hash").asText()).matches("[0-9a-f]{64}");
            assertThat(labels.path("com.docker.compose.project.working_dir").asText()).isEqualTo(p.dir.toString());
            assertThat(labels.path("com.docker.compose.project.config_files").asText()).isEqualTo(p.file());
            assertThat(labels.path("com.docker.compose.image").asText()).startsWith("sha256:");
            JsonNode net = api.get("/networks/shop_default").json();
            assertThat(net.path("Labels").path("com.docker.compose.network").asText()).isEqualTo("default");
            assertThat(net.path("Labels").path("com.docker.compose.project").asText()).isEqualTo("shop");
            JsonNode vol = api.get("/volumes/shop_data").json();
            assertThat(vol.path("Labels").path("com.docker.compose.volume").asText()).isEqualTo("data");

            // depends_on conditions, in order: migrate completed before db started; db healthy
            // (its first passing probe) before the api started; the api healthy before the front
            JsonNode migrate = cs.get("shop-migrate-1").path("State");
            assertThat(migrate.path("ExitCode").asInt()).isZero();
            assertThat(time(migrate.path("FinishedAt").asText())).isBeforeOrEqualTo(time(db.path("State").path("StartedAt").asText()));
            Instant dbHealthy = firstPass(db);
            for (String a : List.of("shop-api-1", "shop-api-2")) {
                assertThat(time(cs.get(a).path("State").path("StartedAt").asText())).isAfterOrEqualTo(dbHealthy);
            }
            Instant apiHealthy = firstPass(cs.get("shop-api-1")).isAfter(firstPass(cs.get("shop-api-2")))
                    ? firstPass(cs.get("shop-api-1")) : firstPass(cs.get("shop-api-2"));
            assertThat(time(cs.get("shop-front-1").path("State").path("StartedAt").asText())).isAfterOrEqualTo(apiHealthy);

            CliResult ps = wharf.ok(p.args("ps"));
            assertThat(ps.lines().getFirst()).matches("NAME\\s+IMAGE\\s+COMMAND\\s+SERVICE\\s+CREATED\\s+STATUS\\s+PORTS");
            assertThat(ps.stdout()).contains("shop-api-1", "shop-api-2", "shop-db-1", "shop-front-1")
                    .contains("127.0.0.1:" + p.port + "->80/tcp").doesNotContain("shop-migrate-1");
            assertThat(wharf.ok(p.args("ps", "-a", "--services")).lines()).containsExactly("api", "db", "front", "migrate");

            // the front reaches both api replicas through the service's DNS name
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 30 && seen.size() < 2; i++) {
                HttpResponse<String> r = p.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).endsWith(" v1\n");
                seen.add(r.body().split(" ")[0]);
            }
            assertThat(seen).containsExactlyInAnyOrder(cs.get("shop-api-1").path("Config").path("Hostname").asText(),
                    cs.get("shop-api-2").path("Config").path("Hostname").asText());
            String lookup = docker.ok("exec", "shop-front-1", "nslookup", "api").stdout();
            for (String a : List.of("shop-api-1", "shop-api-2")) {
                assertThat(lookup).contains(cs.get(a).path("NetworkSettings").path("Networks").path("shop_default")
                        .path("IPAddress").asText());
            }

            CliResult logs = wharf.ok(p.args("logs", "--no-color", "db", "migrate"));
            assertThat(logs.lines()).contains("db-1      | booted", "migrate-1 | migrated");
            assertThat(wharf.ok(p.args("exec", "-T", "db", "cat", "/data/boot.log")).stdout()).isEqualTo("booted\n");
            CliResult exit = wharf.run(p.args("exec", "-T", "db", "sh", "-c", "exit 3"));
            assertThat(exit.exitCode()).isEqualTo(3);

            CliResult run = wharf.run(p.args("run", "--rm", "-T", "--no-deps", "db", "cat", "/data/migrated"));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("migrated\n");
            assertThat(byName(api, "shop")).hasSize(5);

            // a second up changes nothing; a change to the front recreates only the front
            Map<String, String> ids = new TreeMap<>();
            cs.forEach((k, v) -> ids.put(k, v.path("Id").asText()));
            assertThat(wharf.ok(p.args("up", "-d")).stderr()).doesNotContain("Recreate", "Creating");
            Files.writeString(p.dir.resolve("compose.yaml"), Files.readString(p.dir.resolve("compose.yaml"))
                    .replace("command: [\"httpd\", \"-f\", \"-p\", \"80\"", "command: [\"httpd\", \"-f\", \"-v\", \"-p\", \"80\""));
            wharf.ok(p.args("up", "-d"));
            Map<String, JsonNode> after = byName(api, "shop");
            assertThat(after.get("shop-front-1").path("Id").asText()).isNotEqualTo(ids.get("shop-front-1"));
            for (String k : List.of("shop-api-1", "shop-api-2", "shop-db-1")) {
                assertThat(after.get(k).path("Id").asText()).as(k).isEqualTo(ids.get(k));
            }

            // scale up, then down: the highest numbers go first
            wharf.ok(p.args("up", "-d", "--scale", "api=3"));
            assertThat(byName(api, "shop")).containsKey("shop-api-3");
            wharf.ok(p.args("up", "-d", "--scale", "api=1"));
            assertThat(byName(api, "shop").keySet()).contains("shop-api-1").doesNotContain("shop-api-2", "shop-api-3");
            assertThat(after.get("shop-api-1").path("Id").asText()).isEqualTo(byName(api, "shop").get("shop-api-1")
                    .path("Id").asText());

            // down keeps the named volume; up again finds the data
            CliResult down = wharf.run(p.args("down"));
            assertThat(down.exitCode()).as(down.toString()).isZero();
            assertThat(containers(api, "shop", true)).isEmpty();
            assertThat(api.get("/networks/shop_default").status()).isEqualTo(404);
            assertThat(api.get("/volumes/shop_data").status()).isEqualTo(200);
            // a one-off after down makes the project's network again, as Docker Compose does
            CliResult oneOff = wharf.run(p.args("run", "--rm", "-T", "--no-deps", "db", "cat", "/data/boot.log"));
            assertThat(oneOff.exitCode()).as(oneOff.toString()).isZero();
            assertThat(oneOff.stdout()).isEqualTo("booted\n");
            wharf.ok(p.args("up", "-d", "db"));
            assertThat(wharf.ok(p.args("exec", "-T", "db", "cat", "/data/boot.log")).stdout()).isEqualTo("booted\nbooted\n");
            assertThat(byName(api, "shop")).containsOnlyKeys("shop-db-1", "shop-migrate-1");
        } finally {
            wharf.run(p.args("down", "-v", "-t", "1"));
        }
        assertThat(api.get("/volumes/shop_data").status()).isEqualTo(404);
        assertThat(containers(api, "shop", true)).isEmpty();
    }

    /** When the container's healthcheck first passed (its earliest passing probe ended). */
    private static Instant firstPass(JsonNode inspect) {
        for (JsonNode probe : inspect.path("State").path("Health").path("Log")) {
            if (probe.path("ExitCode").asInt() == 0) {
                return time(probe.path("End").asText());
            }
        }
        throw new AssertionError("no passing probe in " + inspect.path("State"));
    }

    @Test
    void configErrors_nameFileLineAndKey_andChangeNothing(WharfCli wharf, Api api) throws Exception {
        ComposeProject p = ComposeProject.create("broken", BUSYBOX, 1, "");
        Files.writeString(p.dir.resolve("compose.yaml"), """
                services:
                  web:
                    image: busybox
                    ports:
                      - "80:eighty"
                """);
        CliResult up = wharf.run(p.args("up", "-d"));
        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.stderr().strip()).isEqualTo(p.file() + ":5:9: services.web.ports[0]: invalid port \"80:eighty\"");

        Files.writeString(p.dir.resolve("compose.yaml"), "services:\n  web:\n    image: busybox\n    restrat: always\n");
        CliResult config = wharf.run(p.args("config"));
        assertThat(config.exitCode()).isEqualTo(1);
        assertThat(config.stderr()).contains(p.file() + ":4:5: services.web: additional property restrat is not allowed");

        Files.writeString(p.dir.resolve("compose.yaml"), "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n");
        CliResult missing = wharf.run(p.args("up", "-d"));
        assertThat(missing.stderr()).contains(p.file() + ":3:12: services.web.image: required variable IMAGE is missing a "
                + "value: set IMAGE");
        assertThat(containers(api, "broken", true)).isEmpty();
        assertThat(api.get("/networks/broken_default").status()).isEqualTo(404);
    }

    @Test
    @Timeout(240)
    void lifecycleAndInfoCommands(WharfCli wharf, Api api) throws Exception {
        ComposeProject p = ComposeProject.create("ops", BUSYBOX, 1, "");
        Files.writeString(p.dir.resolve("compose.yaml"), """
                services:
                  web:
                    image: %s
                    init: true
                    command: ["httpd", "-f", "-p", "80", "-h", "/etc"]
                    ports: ["127.0.0.1:${FRONT_PORT}:80"]
                    labels: {tier: web}
                """.formatted(BUSYBOX));
        try {
            wharf.ok(p.args("up", "-d"));
            String id = byName(api, "ops").get("ops-web-1").path("Id").asText();
            assertThat(wharf.ok(p.args("port", "web", "80")).out()).isEqualTo("127.0.0.1:" + p.port);
            assertThat(wharf.ok(p.args("top")).stdout()).contains("ops-web-1", "httpd");
            assertThat(wharf.ok(p.args("images")).lines()).anySatisfy(l -> assertThat(l).startsWith("ops-web-1")
                    .contains("wharf-test/busybox", "latest"));
            assertThat(wharf.ok("compose", "ls").lines()).anySatisfy(l -> assertThat(l).startsWith("ops")
                    .contains("running(1)", p.file()));
            assertThat(wharf.ok(p.args("config", "--services")).lines()).containsExactly("web");

            wharf.ok(p.args("pause", "web"));
            assertThat(state(api, id)).isEqualTo("paused");
            wharf.ok(p.args("unpause", "web"));
            assertThat(state(api, id)).isEqualTo("running");
            wharf.ok(p.args("stop", "-t", "1"));
            assertThat(state(api, id)).isEqualTo("exited");
            wharf.ok(p.args("start"));
            assertThat(state(api, id)).isEqualTo("running");
            String started = api.get("/containers/" + id + "/json").json().path("State").path("StartedAt").asText();
            wharf.ok(p.args("restart", "-t", "1", "web"));
            assertThat(api.get("/containers/" + id + "/json").json().path("State").path("StartedAt").asText())
                    .isNotEqualTo(started);
            wharf.ok(p.args("kill", "web"));
            assertThat(state(api, id)).isEqualTo("exited");
            assertThat(api.get("/containers/" + id + "/json").json().path("State").path("ExitCode").asInt()).isEqualTo(137);
            wharf.ok(p.args("rm", "-f"));
            assertThat(api.get("/containers/" + id + "/json").status()).isEqualTo(404);

            // events of the project, as they come: the start of its container, as JSON lines
            java.util.List<String> cmd = new ArrayList<>(List.of(dev.wharf.it.kit.Repo.root().resolve("bin/wharf").toString(),
                    "-H", "unix://" + api.socket()));
            cmd.addAll(List.of(p.args("events", "--json")));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", dev.wharf.it.kit.Repo.javaHome());
            wharf.ok(p.args("up", "-d"));
            Process events = pb.start();
            java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream()))) {
                // restart until the stream (open once its JVM is up) has shown a start
                Thread restarts = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 10 && !seen.get(); i++) {
                        wharf.run(p.args("restart", "-t", "1"));
                    }
                });
                String line;
                JsonNode start = null;
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                while (start == null && System.nanoTime() < deadline && (line = r.readLine()) != null) {
                    JsonNode e = Api.JSON.readTree(line);
                    if (e.path("action").asText().equals("start")) {
                        start = e;
                    }
                }
                seen.set(true);
                restarts.join(java.time.Duration.ofSeconds(60));
                assertThat(start).as("a start event").isNotNull();
                assertThat(start.path("service").asText()).isEqualTo("web");
                assertThat(start.path("attributes").path("name").asText()).isEqualTo("ops-web-1");
            } finally {
                events.destroyForcibly();
                events.waitFor();
            }
        } finally {
            wharf.run(p.args("down", "-v", "-t", "1"));
        }
    }

    /**
     * {@code compose up} without -d, as a developer watches an application whose service crashes:
     * every run's output, a line at each exit with its code (a restart policy's runs included),
     * and the command ends once every container stopped for good.
     */
    @Test
    @Timeout(120)
    void attachedUp_followsEveryRunAndEachExit_untilAllStopForGood(WharfCli wharf) throws Exception {
        ComposeProject p = ComposeProject.create("attach", BUSYBOX, 1, "");
        Files.writeString(p.dir.resolve("compose.yaml"), """
                services:
                  once:
                    image: %1$s
                    command: ["sh", "-c", "echo once ran; exit 3"]
                  crash:
                    image: %1$s
                    restart: on-failure:2
                    command: ["sh", "-c", "echo crash run; sleep 0.3; exit 5"]
                """.formatted(BUSYBOX));
        try {
            CliResult up = wharf.run(null, java.time.Duration.ofSeconds(90), p.args("up"));
            assertThat(up.exitCode()).as(up.toString()).isZero();
            List<String> lines = up.lines();
            assertThat(lines).as(up.toString()).contains("Attaching to crash-1, once-1", "once-1  | once ran",
                    "once-1 exited with code 3");
            // three runs of crash (two restarts), each shown and each exit told, in order
            List<String> crash = lines.stream().filter(l -> l.startsWith("crash-1")).toList();
            assertThat(crash).as(up.toString()).containsExactly(
                    "crash-1 | crash run", "crash-1 exited with code 5",
                    "crash-1 | crash run", "crash-1 exited with code 5",
                    "crash-1 | crash run", "crash-1 exited with code 5");
        } finally {
            wharf.run(p.args("down", "-t", "1"));
        }
    }

    private static String state(Api api, String id) {
        return api.get("/containers/" + id + "/json").json().path("State").path("Status").asText();
    }
}
