package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code run --rm true} with {@code --network none} and on the default bridge, measured these ways in one run:
 * <ol>
 *   <li>through the Engine API (create, start, wait, delete), 3 warm-ups then 20 timed;
 *   <li>through the real docker CLI against wharfd, median of 20;
 *   <li>the same two against a Docker daemon at /var/run/docker.sock when one answers (the anchor);
 *   <li>{@value #PARALLEL} {@code sleep} containers created and started at once, then removed at
 *       once with {@code force}, on the default bridge and with none (median of 3 rounds);
 *   <li>a bare {@code runc run} of {@code true} in a busybox bundle (the floor), median of 10, and
 *       {@value #PARALLEL} of them launched at once (the floor of the parallel rows), median of 3;
 *   <li>a bare {@code netavark setup} and {@code teardown} on a bridge that stays up (the bridge
 *       rows' network floor, {@link NetavarkFloor}), median of 10.
 * </ol>
 * Usage: {@code bench/run.sh [--host unix:///PATH] [--runs N] [--warmup N]}. Without
 * {@code --host} it starts its own {@code bin/wharfd} on temporary roots and removes them after.
 */
public final class RunRmBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE_REPO = "wharf-bench/busybox";
    static final String IMAGE = IMAGE_REPO + ":latest";
    private static final String DOCKER = "/usr/local/bin/docker";
    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private int runs = 20;
    private int warmup = 3;
    private int cliRuns = 20;
    private int runcRuns = 10;
    private String host;

    public static void main(String[] args) throws Exception {
        RunRmBench bench = new RunRmBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host", "-H" -> bench.host = args[++i];
                case "--runs" -> bench.runs = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                case "--cli-runs" -> bench.cliRuns = Integer.parseInt(args[++i]);
                case "--runc-runs" -> bench.runcRuns = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: bench/run.sh [--host unix:///PATH] [--runs N] [--warmup N] [--cli-runs N] [--runc-runs N]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        bench.run();
    }

    private void run() throws Exception {
        Path repo = repoRoot();
        Path work = Path.of("/tmp", "wharf-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.createDirectories(work);
        Process wharfd = null;
        try {
            Path tar = work.resolve("busybox.tar");
            exec(List.of(repo.resolve("scripts/make-busybox-rootfs.sh").toString(), tar.toString()), Map.of());

            UnixHttp api = null;
            try {
                if (host != null) {
                    api = new UnixHttp(Path.of(host.replaceFirst("^unix://", "")));
                    if (!api.ping()) throw new IllegalStateException("no wharfd answers at " + host);
                } else {
                    api = new UnixHttp(work.resolve("wharf.sock"));
                    wharfd = startWharfd(repo, work, api);
                }
                System.out.println("wharfd: " + (host != null ? host : "started on " + work) + "   " + version(api));
                importImage(api, tar);
            } catch (Exception e) {
                System.out.println("wharfd: failed: " + e.getMessage());
                api = null;
            }
            if (api != null) {
                UnixHttp wharf = api;
                attempt("run --rm true (API, --network none)", () -> measureApi(wharf, runs, warmup), true);
                attempt("run --rm true (API, default bridge)", () -> measureApi(wharf, runs, warmup, "bridge"), true);
                parallel("", wharf);
                attempt("run --rm true (docker CLI, --network none)", () -> measureCli(wharf.socket(), cliRuns), false);
                attempt("run --rm true (docker CLI, default bridge)",
                        () -> measureCli(wharf.socket(), cliRuns, "bridge"), false);
            }

            UnixHttp docker = new UnixHttp(DOCKER_SOCKET);
            if (Files.exists(DOCKER_SOCKET) && docker.ping()) {
                System.out.println("docker: " + version(docker));
                attempt("docker: import", () -> {
                    importImage(docker, tar);
                    return null;
                }, false);
                attempt("docker: run --rm true (API, --network none)", () -> measureApi(docker, runs, warmup), true);
                attempt("docker: run --rm true (API, default bridge)",
                        () -> measureApi(docker, runs, warmup, "bridge"), true);
                parallel("docker: ", docker);
                attempt("docker: run --rm true (docker CLI, --network none)", () -> measureCli(DOCKER_SOCKET, cliRuns), false);
            } else {
                System.out.println("docker: not installed");
            }

            attempt("runc run true (floor)", () -> measureRunc(work, tar, runcRuns), false);
            attempt(PARALLEL + " bare runc run true at once (floor of the parallel rows)",
                    () -> measureRuncParallel(work, tar), false);
            netavarkFloor(work);
        } finally {
            if (wharfd != null) stopWharfd(wharfd, work);
            exec(List.of("rm", "-rf", "--one-file-system", work.toString()), Map.of());
        }
    }

    // ---- the measurements ----

    /** The bridge rows' network floor ({@link NetavarkFloor}): set-up and teardown medians of 10. */
    private static void netavarkFloor(Path work) {
        try {
            long[][] m = NetavarkFloor.measure(work, 10);
            report("netavark setup, bridge in place (floor of the bridge rows' start)", m[0], false);
            report("netavark teardown, bridge kept (floor of the bridge rows' removal)", m[1], false);
        } catch (Exception e) {
            System.out.println("netavark setup/teardown (floor of the bridge rows): failed: " + e.getMessage());
        }
    }

    private static final int PARALLEL = 20;
    private static final int PARALLEL_ROUNDS = 3;

    /** Prints the medians of {@link #measureParallel} over a few rounds, on the default bridge and with none. */
    private static void parallel(String prefix, UnixHttp api) {
        for (String network : List.of("bridge", "none")) {
            try {
                long[] starts = new long[PARALLEL_ROUNDS];
                long[] removes = new long[PARALLEL_ROUNDS];
                for (int r = 0; r < PARALLEL_ROUNDS; r++) {
                    long[] one = measureParallel(api, network);
                    starts[r] = one[0];
                    removes[r] = one[1];
                }
                report(prefix + PARALLEL + " containers created and started in parallel (" + network + ")", starts, false);
                report(prefix + PARALLEL + " running containers removed in parallel (" + network + ", force)", removes, false);
            } catch (Exception e) {
                System.out.println(prefix + PARALLEL + " in parallel (" + network + "): failed: " + e.getMessage());
            }
        }
    }

    /**
     * {@value #PARALLEL} clients at once each create and start a {@code sleep} container; then
     * {@value #PARALLEL} clients at once remove them with {@code force}. Returns the wall time of
     * each wave (ms): from the first request to the last answer.
     */
    private static long[] measureParallel(UnixHttp api, String network) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", IMAGE);
        body.putArray("Cmd").add("sleep").add("300");
        body.putObject("HostConfig").put("NetworkMode", network);
        byte[] create = JSON.writeValueAsBytes(body);
        String[] ids = new String[PARALLEL];
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(PARALLEL)) {
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> wave = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                wave.add(pool.submit(() -> {
                    UnixHttp.Response created = api.send("POST", "/containers/create", "application/json", create);
                    if (created.status() != 201) throw new IllegalStateException("create: " + created);
                    ids[n] = JSON.readTree(created.body()).path("Id").asText();
                    UnixHttp.Response started = api.send("POST", "/containers/" + ids[n] + "/start", null, null);
                    if (started.status() != 204) throw new IllegalStateException("start: " + started);
                    return null;
                }));
            }
            for (var f : wave) f.get();
            long started = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            wave.clear();
            for (String id : ids) {
                wave.add(pool.submit(() -> {
                    UnixHttp.Response deleted = api.send("DELETE", "/containers/" + id + "?force=1", null, null);
                    if (deleted.status() != 204) throw new IllegalStateException("delete: " + deleted);
                    return null;
                }));
            }
            for (var f : wave) f.get();
            long removed = System.nanoTime() - t1;
            return new long[] {TimeUnit.NANOSECONDS.toMillis(started), TimeUnit.NANOSECONDS.toMillis(removed)};
        } finally {
            for (String id : ids) {
                if (id != null) {
                    try {
                        api.send("DELETE", "/containers/" + id + "?force=1", null, null);
                    } catch (IOException ignored) {
                        // gone already
                    }
                }
            }
        }
    }

    private static long[] measureApi(UnixHttp api, int runs, int warmup) throws IOException {
        return measureApi(api, runs, warmup, "none");
    }

    private static long[] measureApi(UnixHttp api, int runs, int warmup, String network) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", IMAGE);
        body.putArray("Cmd").add("true");
        ObjectNode hostConfig = body.putObject("HostConfig");
        hostConfig.put("NetworkMode", network);
        hostConfig.put("AutoRemove", false);
        byte[] create = JSON.writeValueAsBytes(body);
        long[] millis = new long[runs];
        long[][] phases = new long[4][runs]; // create, start, wait, delete (µs)
        for (int i = -warmup; i < runs; i++) {
            long t0 = System.nanoTime();
            long[] at = new long[5];
            at[0] = t0;
            UnixHttp.Response created = api.send("POST", "/containers/create", "application/json", create);
            if (created.status() != 201) throw new IllegalStateException("create: " + created);
            String id = JSON.readTree(created.body()).path("Id").asText();
            at[1] = System.nanoTime();
            UnixHttp.Response started = api.send("POST", "/containers/" + id + "/start", null, null);
            if (started.status() != 204) throw new IllegalStateException("start: " + started);
            at[2] = System.nanoTime();
            UnixHttp.Response waited = api.send("POST", "/containers/" + id + "/wait", null, null);
            JsonNode result = JSON.readTree(waited.body());
            if (waited.status() != 200 || result.path("StatusCode").asInt(-1) != 0) throw new IllegalStateException("wait: " + waited);
            at[3] = System.nanoTime();
            UnixHttp.Response deleted = api.send("DELETE", "/containers/" + id, null, null);
            if (deleted.status() != 204) throw new IllegalStateException("delete: " + deleted);
            at[4] = System.nanoTime();
            if (i >= 0) {
                millis[i] = TimeUnit.NANOSECONDS.toMillis(at[4] - t0);
                for (int p = 0; p < 4; p++) phases[p][i] = TimeUnit.NANOSECONDS.toMicros(at[p + 1] - at[p]);
            }
        }
        String[] names = {"create", "start", "wait", "delete"};
        StringBuilder line = new StringBuilder("  phases (" + network + "), medians:");
        for (int p = 0; p < 4; p++) {
            long[] sorted = phases[p].clone();
            Arrays.sort(sorted);
            line.append(String.format(" %s %.1f ms", names[p], sorted[sorted.length / 2] / 1000.0));
        }
        System.out.println(line);
        return millis;
    }

    private static long[] measureCli(Path socket, int runs) throws Exception {
        return measureCli(socket, runs, "none");
    }

    private static long[] measureCli(Path socket, int runs, String network) throws Exception {
        Path config = Files.createTempDirectory("wharf-bench-docker-config");
        try {
            Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", config.toString());
            List<String> command = List.of(DOCKER, "run", "--rm", "--network", network, IMAGE, "true");
            exec(command, env); // warm-up
            long[] millis = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                exec(command, env);
                millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
            return millis;
        } finally {
            Files.deleteIfExists(config);
        }
    }

    static long[] measureRunc(Path work, Path tar, int runs) throws Exception {
        Path bundle = runcBundle(work, tar);
        Path state = work.resolve("runc-state");
        String prefix = "wharf-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        long[] millis = new long[runs];
        try {
            for (int i = -1; i < runs; i++) {
                long t0 = System.nanoTime();
                exec(runcRun(state, bundle, prefix + "-" + (i + 1)), Map.of());
                if (i >= 0) millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
        } finally {
            deleteRuncContainers(state);
        }
        return millis;
    }

    /**
     * The floor of the parallel rows: {@value #PARALLEL} bare {@code runc run true} of one bundle
     * launched at once, {@value #PARALLEL_ROUNDS} rounds; the wall time of each round (ms). On two
     * cores this is what the runtime alone costs, whatever the engine above it does.
     */
    static long[] measureRuncParallel(Path work, Path tar) throws Exception {
        Path bundle = runcBundle(work, tar);
        Path state = work.resolve("runc-state");
        String prefix = "wharf-bench-p" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        long[] millis = new long[PARALLEL_ROUNDS];
        try {
            for (int r = 0; r < PARALLEL_ROUNDS; r++) {
                List<Process> wave = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < PARALLEL; i++) {
                    wave.add(new ProcessBuilder(runcRun(state, bundle, prefix + "-" + r + "-" + i))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                for (Process p : wave) {
                    if (p.waitFor() != 0) throw new IllegalStateException("runc run exited with " + p.exitValue());
                }
                millis[r] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
        } finally {
            deleteRuncContainers(state);
        }
        return millis;
    }

    /** A busybox bundle from {@code runc spec} that runs {@code true}, made once under {@code work}. */
    private static Path runcBundle(Path work, Path tar) throws Exception {
        return runcBundle(work, tar, "bundle", List.of("true"));
    }

    /** A busybox bundle from {@code runc spec} under {@code work/name} that runs {@code args}, made once. */
    private static Path runcBundle(Path work, Path tar, String name, List<String> args) throws Exception {
        Path bundle = work.resolve(name);
        Path configJson = bundle.resolve("config.json");
        if (Files.exists(configJson)) return bundle;
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        exec(List.of("tar", "-xf", tar.toString(), "-C", rootfs.toString()), Map.of());
        exec(List.of("runc", "spec", "--bundle", bundle.toString()), Map.of());
        ObjectNode spec = (ObjectNode) JSON.readTree(configJson.toFile());
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        args.forEach(process.putArray("args")::add);
        JSON.writerWithDefaultPrettyPrinter().writeValue(configJson.toFile(), spec);
        return bundle;
    }

    /**
     * The floor of the exec row: a bare {@code runc exec true} in a running busybox container of
     * {@code runc spec}'s own, 2 warm-ups then {@code runs} timed (ms).
     */
    static long[] measureRuncExec(Path work, Path tar, int runs) throws Exception {
        Path bundle = runcBundle(work, tar, "bundle-exec", List.of("sleep", "1000"));
        Path state = work.resolve("runc-state");
        String id = "wharf-bench-x" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        long[] millis = new long[runs];
        try {
            // detached, its stdio on /dev/null: runc hands the container the fds it was given
            Process run = new ProcessBuilder("runc", "--root", state.toString(), "run", "-d", "--bundle",
                    bundle.toString(), id).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (run.waitFor() != 0) throw new IllegalStateException("runc run -d exited with " + run.exitValue());
            for (int i = -2; i < runs; i++) {
                long t0 = System.nanoTime();
                exec(List.of("runc", "--root", state.toString(), "exec", id, "true"), Map.of());
                if (i >= 0) millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
        } finally {
            deleteRuncContainers(state);
        }
        return millis;
    }

    private static List<String> runcRun(Path state, Path bundle, String id) {
        return List.of("runc", "--root", state.toString(), "run", "--bundle", bundle.toString(), id);
    }

    private static void deleteRuncContainers(Path state) throws IOException {
        if (!Files.isDirectory(state)) return;
        for (String id : exec(List.of("runc", "--root", state.toString(), "list", "-q"), Map.of()).split("\n")) {
            if (!id.isBlank()) exec(List.of("runc", "--root", state.toString(), "delete", "-f", id.strip()), Map.of());
        }
    }

    private static void attempt(String what, java.util.concurrent.Callable<long[]> measurement, boolean full) {
        try {
            long[] millis = measurement.call();
            if (millis != null) report(what, millis, full);
        } catch (Exception e) {
            System.out.println(what + ": failed: " + e.getMessage());
        }
    }

    static void report(String what, long[] millis, boolean full) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        StringBuilder line = new StringBuilder(what).append(": median ").append(percentile(sorted, 0.5)).append(" ms");
        if (full) {
            line.append("  p90 ").append(percentile(sorted, 0.9)).append(" ms  min ").append(sorted[0]).append(" ms");
        }
        line.append("  (n=").append(sorted.length).append(")");
        System.out.println(line);
    }

    /** Nearest-rank percentile of a sorted array. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // ---- daemon and image ----

    static Process startWharfd(Path repo, Path work, UnixHttp api) throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Path exec = Files.createDirectories(work.resolve("exec"));
        Path log = work.resolve("wharfd.log");
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/wharfd").toString(), "--data-root", data.toString(),
                "--exec-root", exec.toString(), "--host", "unix://" + api.socket(),
                "--bridge", "wbench" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("wharfd exited:\n" + Files.readString(log));
            if (Files.exists(api.socket()) && api.ping()) return process;
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("wharfd did not answer /_ping in 60 s:\n" + Files.readString(log));
    }

    static void stopWharfd(Process wharfd, Path work) throws Exception {
        wharfd.destroy();
        if (!wharfd.waitFor(20, TimeUnit.SECONDS)) wharfd.destroyForcibly().waitFor();
        Path runcRoot = work.resolve("exec/runc");
        if (Files.isDirectory(runcRoot)) {
            for (String id : exec(List.of("runc", "--root", runcRoot.toString(), "list", "-q"), Map.of()).split("\n")) {
                if (!id.isBlank()) exec(List.of("runc", "--root", runcRoot.toString(), "delete", "-f", id.strip()), Map.of());
            }
        }
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(work + "/")) mounts.add(mountPoint);
        }
        mounts.sort((a, b) -> b.length() - a.length());
        for (String m : mounts) exec(List.of("umount", "-l", m), Map.of());
    }

    static void importImage(UnixHttp api, Path tar) throws IOException {
        String path = "/images/create?fromSrc=-&repo=" + q(IMAGE_REPO) + "&tag=latest&changes=" + q("CMD [\"sh\"]")
                + "&changes=" + q("ENV PATH=" + DEFAULT_PATH);
        UnixHttp.Response response = api.send("POST", path, "application/x-tar", Files.readAllBytes(tar));
        if (response.status() != 200 || response.text().contains("\"error\"")) throw new IllegalStateException("import: " + response);
    }

    private static String version(UnixHttp api) {
        try {
            JsonNode v = JSON.readTree(api.send("GET", "/version", null, null).body());
            return "version " + v.path("Version").asText() + ", API " + v.path("ApiVersion").asText();
        } catch (IOException | RuntimeException e) {
            return "version unknown (" + e.getMessage() + ")";
        }
    }

    // ---- helpers ----

    static Path repoRoot() {
        String configured = System.getProperty("wharf.repo");
        if (configured != null && Files.isExecutable(Path.of(configured, "bin/wharfd"))) return Path.of(configured);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/wharfd"))) return dir;
        }
        throw new IllegalStateException("run from inside the Wharf repository (no bin/wharfd found)");
    }

    static String exec(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
        return text;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
