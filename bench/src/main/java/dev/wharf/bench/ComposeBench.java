package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compose: {@code up -d} of a 3-service project whose services have healthchecks and wait on
 * each other ({@code service_healthy}) until all are healthy, then {@code down}; median of 5.
 * Measured with {@code wharf compose up -d --wait}, and with docker-compose 1.29 (when installed;
 * it has no --wait, so the bench polls until healthy), against wharfd and, when a Docker daemon
 * answers, against Docker. Two healthcheck settings: {@code interval: 1s} (the first probe one
 * second after start, as Docker runs it) and the same with {@code start_interval: 100ms}
 * (API 1.44). A timeline of one wharf run says where the time goes.
 */
public final class ComposeBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUNS = 5;

    static String project(String image, boolean startInterval) {
        String hc = "      interval: 1s\n      timeout: 2s\n      retries: 3\n"
                + (startInterval ? "      start_period: 30s\n      start_interval: 100ms\n" : "");
        return "services:\n"
                + "  db:\n    image: " + image + "\n    init: true\n"
                + "    command: [\"sh\", \"-c\", \"touch /tmp/ready; exec sleep 100000\"]\n"
                + "    healthcheck:\n      test: [\"CMD\", \"test\", \"-f\", \"/tmp/ready\"]\n" + hc
                + "  api:\n    image: " + image + "\n    init: true\n"
                + "    command: [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/etc\"]\n"
                + "    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:8080/hostname\"]\n" + hc
                + "    depends_on:\n      db: {condition: service_healthy}\n"
                + "  front:\n    image: " + image + "\n    init: true\n"
                + "    command: [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/etc\"]\n"
                + "    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:80/hostname\"]\n" + hc
                + "    depends_on:\n      api: {condition: service_healthy}\n";
    }

    public static void main(String[] args) throws Exception {
        String host = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--host")) {
                host = args[++i];
            }
        }
        Path repo = RunRmBench.repoRoot();
        Anchored.run(host, -1, (who, api, pid) -> {
            boolean isWharf = who.equals("wharfd");
            for (boolean si : new boolean[] {false, true}) {
                String label = si ? "interval 1s + start_interval 100ms" : "interval 1s";
                Path dir = Files.createTempDirectory("wharf-bench-compose-").resolve("bench");
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("compose.yaml"), project("wharf-bench/busybox:latest", si));
                Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + api.socket(), "JAVA_HOME",
                        System.getProperty("java.home"));
                if (isWharf) {
                    List<String> wharf = List.of(repo.resolve("bin/wharf").toString(), "compose", "--progress", "quiet",
                            "-f", dir.resolve("compose.yaml").toString());
                    long[] up = new long[RUNS];
                    long[] down = new long[RUNS];
                    for (int r = 0; r < RUNS; r++) {
                        up[r] = time(() -> RunRmBench.exec(concat(wharf, "up", "-d", "--wait"), env));
                        if (r == RUNS - 1) {
                            timeline(api);
                        }
                        down[r] = time(() -> RunRmBench.exec(concat(wharf, "down", "-t", "1"), env));
                    }
                    RunRmBench.report(who + " wharf compose up -d --wait (" + label + ")", sorted(up), true);
                    RunRmBench.report(who + " wharf compose down (" + label + ")", sorted(down), true);
                }
                if (Files.isExecutable(Path.of("/usr/bin/docker-compose")) && !si) {
                    List<String> dc = List.of("/usr/bin/docker-compose", "--no-ansi", "-f",
                            dir.resolve("compose.yaml").toString(), "-p", "bench");
                    long[] up = new long[RUNS];
                    long[] down = new long[RUNS];
                    for (int r = 0; r < RUNS; r++) {
                        up[r] = time(() -> {
                            RunRmBench.exec(concat(dc, "up", "-d"), env);
                            awaitHealthy(api, 3);
                        });
                        down[r] = time(() -> RunRmBench.exec(concat(dc, "down", "-t", "1"), env));
                    }
                    RunRmBench.report(who + " docker-compose 1.29 up -d, until healthy (" + label + ")", sorted(up), true);
                    RunRmBench.report(who + " docker-compose 1.29 down (" + label + ")", sorted(down), true);
                }
            }
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long time(Step s) throws Exception {
        long t0 = System.nanoTime();
        s.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long[] sorted(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> l = new ArrayList<>(head);
        l.addAll(List.of(tail));
        return l;
    }

    private static List<JsonNode> projectContainers(UnixHttp api) throws Exception {
        String f = URLEncoder.encode("{\"label\":{\"com.docker.compose.project=bench\":true}}", StandardCharsets.UTF_8);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : JSON.readTree(api.send("GET", "/containers/json?all=1&filters=" + f, null, null).body())) {
            out.add(JSON.readTree(api.send("GET", "/containers/" + c.path("Id").asText() + "/json", null, null).body()));
        }
        return out;
    }

    private static void awaitHealthy(UnixHttp api, int n) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<JsonNode> cs = projectContainers(api);
            if (cs.size() == n && cs.stream().allMatch(c -> "healthy".equals(c.path("State").path("Health")
                    .path("Status").asText()))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not healthy in 120 s");
    }

    /** Per service: created, started, first passing probe, relative to the first container's creation. */
    private static void timeline(UnixHttp api) throws Exception {
        List<JsonNode> cs = projectContainers(api);
        Instant t0 = cs.stream().map(c -> Instant.parse(c.path("Created").asText())).min(Instant::compareTo).orElseThrow();
        for (String svc : List.of("db", "api", "front")) {
            for (JsonNode c : cs) {
                if (!svc.equals(c.path("Config").path("Labels").path("com.docker.compose.service").asText())) {
                    continue;
                }
                Instant created = Instant.parse(c.path("Created").asText());
                Instant started = Instant.parse(c.path("State").path("StartedAt").asText());
                Instant healthy = null;
                for (JsonNode probe : c.path("State").path("Health").path("Log")) {
                    if (probe.path("ExitCode").asInt() == 0) {
                        healthy = Instant.parse(probe.path("End").asText());
                        break;
                    }
                }
                System.out.printf("  timeline %-5s created +%4d ms  started +%4d ms  healthy +%4d ms%n", svc,
                        ms(t0, created), ms(t0, started), healthy == null ? -1 : ms(t0, healthy));
            }
        }
    }

    private static long ms(Instant a, Instant b) {
        return java.time.Duration.between(a, b).toMillis();
    }
}
