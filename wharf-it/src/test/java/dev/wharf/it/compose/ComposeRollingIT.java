package dev.wharf.it.compose;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Beyond Docker Compose: a scaled service whose configuration or image changed is replaced a few
 * replicas at a time, each new one healthy before an old one stops, while a client hits the
 * project's published front in a steady loop and sees no failed request; a broken image rolls
 * the service back to the replicas it had.
 */
@WharfIT
class ComposeRollingIT {

    private static final String UPDATE = "      update_config: {parallelism: 1, order: start-first, failure_action: rollback, "
            + "monitor: 1s}";

    /** A rolling update of three replicas on a loaded 2-core machine can take more than a minute. */
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);

    /** Requests through the front until stopped, at most one every 20 ms, counting what failed. */
    private static final class Loop implements AutoCloseable {
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger count = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Loop(ComposeProject p) {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            thread = Thread.ofVirtual().start(() -> {
                while (running.get() && System.nanoTime() < deadline) {
                    try {
                        HttpResponse<String> r = p.get();
                        count.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        } else {
                            bodies.add(r.body().strip());
                        }
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        count.incrementAndGet();
                        failures.add(e.toString());
                    }
                }
            });
        }

        /** Waits until the loop has made {@code n} more requests, so it runs on both sides of an update. */
        void awaitMore(int n) {
            int target = count.get() + n;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(30));
        }
    }

    private static Map<String, JsonNode> api(Api api, String project) {
        String f = Api.q("{\"label\":{\"com.docker.compose.project=" + project + "\":true,"
                + "\"com.docker.compose.service=api\":true}}");
        Map<String, JsonNode> m = new TreeMap<>();
        api.get("/containers/json?all=1&filters=" + f).json().forEach(c -> m.put(c.path("Names").path(0).asText()
                .substring(1), c));
        return m;
    }

    private static Set<String> ids(Map<String, JsonNode> cs) {
        Set<String> s = new TreeSet<>();
        cs.values().forEach(c -> s.add(c.path("Id").asText()));
        return s;
    }

    @Test
    @Timeout(400)
    void rollingUpdate_zeroFailedRequests_thenBrokenImageRollsBack(WharfCli wharf, Api api) throws Exception {
        ComposeProject p = ComposeProject.create("roll", BUSYBOX, 3, UPDATE);
        try {
            CliResult up = wharf.run(p.args("up", "-d"));
            assertThat(up.exitCode()).as(up.toString()).isZero();
            Map<String, JsonNode> v1 = api(api, "roll");
            assertThat(v1).containsOnlyKeys("roll-api-1", "roll-api-2", "roll-api-3");

            p.env("VERSION=2\n");
            CliResult update;
            try (Loop loop = new Loop(p)) {
                loop.awaitMore(5);
                update = wharf.run(null, UP_TIMEOUT, p.args("up", "-d"));
                loop.awaitMore(5);
                loop.close();
                assertThat(update.exitCode()).as(update.toString()).isZero();
                assertThat(loop.failures).as("failed requests of " + loop.count.get()).isEmpty();
                assertThat(loop.count.get()).isGreaterThan(20);
                assertThat(loop.bodies).anyMatch(b -> b.endsWith(" v1")).anyMatch(b -> b.endsWith(" v2"));
            }
            assertThat(update.stderr()).contains("Service api  Updating 3 replicas (start-first, 1 at a time)",
                    "Service api  Updated");
            Map<String, JsonNode> v2 = api(api, "roll");
            assertThat(v2).containsOnlyKeys("roll-api-1", "roll-api-2", "roll-api-3");
            assertThat(ids(v2)).doesNotContainAnyElementsOf(ids(v1));
            v2.values().forEach(c -> assertThat(c.path("State").asText()).isEqualTo("running"));
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < 40 && seen.size() < 3; i++) {
                HttpResponse<String> r = p.get();
                assertThat(r.body().strip()).endsWith(" v2");
                seen.add(r.body().split(" ")[0]);
            }
            assertThat(seen).hasSize(3);

            // an image where /www is a file, so the api cannot write its page: the first new replica
            // exits, and the service rolls back
            String c = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "Cmd", List.of("touch", "/www")))
                    .json().path("Id").asText();
            api.post("/containers/" + c + "/start");
            api.post("/containers/" + c + "/wait");
            assertThat(api.post("/commit?container=" + c + "&repo=wharf-test/broken-api&tag=1").status()).isEqualTo(201);
            api.delete("/containers/" + c);
            p.env("VERSION=2\nAPI_IMAGE=wharf-test/broken-api:1\n");
            CliResult broken;
            try (Loop loop = new Loop(p)) {
                loop.awaitMore(5);
                broken = wharf.run(null, UP_TIMEOUT, p.args("up", "-d"));
                loop.awaitMore(5);
                loop.close();
                assertThat(loop.failures).as("failed requests of " + loop.count.get()).isEmpty();
                assertThat(loop.bodies).allMatch(b -> b.endsWith(" v2"));
            }
            assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(1);
            assertThat(broken.stderr()).contains("service api: update failed and was rolled back", "Rolled back");
            Map<String, JsonNode> after = api(api, "roll");
            assertThat(after).containsOnlyKeys("roll-api-1", "roll-api-2", "roll-api-3");
            assertThat(ids(after)).isEqualTo(ids(v2));
            after.values().forEach(x -> assertThat(x.path("State").asText()).isEqualTo("running"));
            api.delete("/images/wharf-test/broken-api:1?force=1");
        } finally {
            wharf.run(p.args("down", "-v", "-t", "1"));
        }
    }
}
