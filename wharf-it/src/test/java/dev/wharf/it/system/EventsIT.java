package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET /events}: a live follow and a bounded since/until query. */
@WharfIT
class EventsIT {

    private static final String CONTAINER_FILTER = Api.q("{\"type\":[\"container\"]}");

    @Test
    void follow_seesCreateStartDieDestroy(Api api) throws Exception {
        String name = Names.unique("ev");
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        try (Api.Stream stream = api.open("GET", "/events?filters=" + CONTAINER_FILTER, Map.of(), null, Duration.ofSeconds(60))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.headers().get("content-type")).anySatisfy(v -> assertThat(v).startsWith("application/json"));
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    for (String line = stream.readLine(); line != null; line = stream.readLine()) {
                        if (!line.isBlank()) events.add(Api.JSON.readTree(line));
                    }
                } catch (IOException ignored) {
                    // closed by the test
                }
            });

            String id = runToCompletion(api, name, 3);

            List<JsonNode> ours = collectUntil(events, id, "destroy", Duration.ofSeconds(20));
            reader.interrupt();
            List<String> actions = ours.stream().map(e -> e.path("Action").asText()).toList();
            assertThat(actions).containsSubsequence("create", "start", "die", "destroy");
            for (JsonNode e : ours) {
                assertThat(e.path("Type").asText()).isEqualTo("container");
                assertThat(e.path("Actor").path("ID").asText()).isEqualTo(id);
                assertThat(e.path("Actor").path("Attributes").path("name").asText()).isEqualTo(name);
                assertThat(e.path("Actor").path("Attributes").path("image").asText()).isEqualTo(BUSYBOX);
                assertThat(e.path("time").asLong()).isPositive();
                assertThat(e.path("timeNano").asLong()).isGreaterThanOrEqualTo(e.path("time").asLong() * 1_000_000_000L);
                assertThat(e.path("scope").asText()).isEqualTo("local");
                // the legacy fields compose 1.29 reads
                assertThat(e.path("status").asText()).isEqualTo(e.path("Action").asText());
                assertThat(e.path("id").asText()).isEqualTo(id);
            }
            JsonNode die = ours.stream().filter(e -> e.path("Action").asText().equals("die")).findFirst().orElseThrow();
            assertThat(die.path("Actor").path("Attributes").path("exitCode").asText()).isEqualTo("3");
        }
    }

    /**
     * Every action the issue lists, as the docker CLI shows them: a container walked through pause,
     * unpause, rename, update, exec, kill, restart, stop, an OOM kill and removal.
     */
    @Test
    void everyContainerAction_isAnEvent_andTheEventFilterMatchesExecPrefixes(DockerCli docker) {
        String name = Names.unique("evall");
        String renamed = name + "-b";
        String oom = Names.unique("evoom");
        try {
            String id = docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c",
                    "trap 'exit 0' TERM; while true; do sleep 0.1; done").out();
            docker.ok("pause", name);
            docker.ok("unpause", name);
            docker.ok("rename", name, renamed);
            docker.ok("update", "--cpu-shares", "512", renamed);
            docker.ok("exec", renamed, "echo", "ev");
            docker.ok("kill", "-s", "USR1", renamed);
            docker.ok("restart", "-t", "5", renamed);
            docker.ok("stop", "-t", "5", renamed);
            docker.ok("rm", renamed);
            docker.run("run", "--name", oom, "--memory", "8m", "--memory-swap", "8m", BUSYBOX, "sh", "-c",
                    "a=x; while true; do a=\"$a$a\"; done");
            String until = String.valueOf(java.time.Instant.now().getEpochSecond() + 1);
            // by ID: the events before the rename carry the old name, as Docker's do
            List<String> actions = docker.ok("events", "--since", "0", "--until", until, "--filter", "container=" + id,
                    "--format", "{{.Action}}").lines();
            assertThat(actions).containsSubsequence("create", "start", "pause", "unpause", "rename", "update",
                    "exec_create: echo ev", "exec_start: echo ev", "exec_die", "kill", "die", "stop", "start", "restart", "kill",
                    "die", "stop", "destroy");
            assertThat(actions).contains("die");
            assertThat(docker.ok("events", "--since", "0", "--until", until, "--filter", "container=" + renamed,
                    "--filter", "event=exec_start", "--format", "{{.Action}}").lines()).containsExactly("exec_start: echo ev");
            assertThat(docker.ok("events", "--since", "0", "--until", until, "--filter", "container=" + oom,
                    "--format", "{{.Action}} {{index .Actor.Attributes \"exitCode\"}}").lines())
                    .containsSubsequence("oom ", "die 137");
        } finally {
            docker.run("rm", "-f", name, renamed, oom);
        }
    }

    @Test
    void sinceUntil_returnsPastEventsAndCloses(Api api) throws Exception {
        long since = System.currentTimeMillis() / 1000 - 1;
        String name = Names.unique("evpast");
        String id = runToCompletion(api, name, 0);
        Thread.sleep(1100);
        long until = System.currentTimeMillis() / 1000;

        long t0 = System.nanoTime();
        Api.Response response = api.send("GET", "/events?since=" + since + "&until=" + until + "&filters=" + CONTAINER_FILTER,
                Map.of(), null, Duration.ofSeconds(15));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(response.status()).isEqualTo(200);
        assertThat(tookMillis).as("an events query with a past 'until' returns at once").isLessThan(5000);
        List<String> actions = new ArrayList<>();
        for (String line : response.text().split("\n")) {
            if (line.isBlank()) continue;
            JsonNode e = Api.JSON.readTree(line);
            assertThat(e.path("Type").asText()).isEqualTo("container");
            if (e.path("Actor").path("ID").asText().equals(id)) actions.add(e.path("Action").asText());
        }
        assertThat(actions).containsSubsequence("create", "start", "die", "destroy");
    }

    /** create, start, wait and delete through the API; returns the container ID. */
    private static String runToCompletion(Api api, String name, int exitCode) {
        String id = ApiIT.create(api, name, List.of("sh", "-c", "exit " + exitCode));
        assertThat(api.post("/containers/" + id + "/start").status()).isEqualTo(204);
        Api.Response wait = api.send("POST", "/containers/" + id + "/wait", Map.of(), null, Duration.ofSeconds(20));
        assertThat(wait.json().path("StatusCode").asInt()).isEqualTo(exitCode);
        assertThat(api.delete("/containers/" + id).status()).isEqualTo(204);
        return id;
    }

    private static List<JsonNode> collectUntil(BlockingQueue<JsonNode> events, String id, String lastAction, Duration timeout)
            throws InterruptedException {
        List<JsonNode> ours = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = events.poll(200, TimeUnit.MILLISECONDS);
            if (e == null) continue;
            if (!e.path("Actor").path("ID").asText().equals(id)) continue;
            ours.add(e);
            if (e.path("Action").asText().equals(lastAction)) return ours;
        }
        throw new AssertionError("no '" + lastAction + "' event for " + id + " within " + timeout + "; saw " + ours);
    }
}
