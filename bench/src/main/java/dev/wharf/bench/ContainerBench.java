package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Container operations through the Engine API, on a wharfd started on temporary roots (or the
 * one at {@code --host}), beside Docker's at /var/run/docker.sock when one answers:
 * <ol>
 *   <li>{@code exec true} (create, start attached, inspect), 3 warm-ups then 20 timed, and a
 *       bare {@code runc exec true} beside it (the floor);
 *   <li>{@code stop} of a container whose PID 1 exits on SIGTERM (issue 15: at most 40 ms), 10 timed;
 *   <li>{@code ps -a} ({@code GET /containers/json?all=1}) with 50 containers, 20 timed;
 *   <li>{@code stats} one-shot and {@code --no-stream} (two samples a second apart, by design);
 *   <li>the daemon's resident memory (VmRSS) idle and with 20 running containers (own wharfd,
 *       or {@code --pid PID}).
 * </ol>
 * Usage: {@code bench/containers.sh [--host unix:///PATH --pid PID] [--runs N]}.
 */
public final class ContainerBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private int runs = 20;
    private String host;
    private long pid = -1;

    public static void main(String[] args) throws Exception {
        ContainerBench b = new ContainerBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host", "-H" -> b.host = args[++i];
                case "--pid" -> b.pid = Long.parseLong(args[++i]);
                case "--runs" -> b.runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Anchored.run(host, pid, this::measure, (work, tar) -> RunRmBench.report("runc exec true (floor)",
                RunRmBench.measureRuncExec(work, tar, runs), true));
    }

    private void measure(String who, UnixHttp api, long daemonPid) throws Exception {
        if (daemonPid > 0) {
            Thread.sleep(2000);
            System.out.println(who + ": RSS idle " + rssMiB(daemonPid) + " MiB");
        }
        List<String> ids = new ArrayList<>();
        try {
            String target = create(api, List.of("sleep", "100000"));
            ids.add(target);
            api.startContainer(target);
            RunRmBench.report(who + ": exec true (API)", execTrue(api, target), true);
            String stoppable = create(api, List.of("sh", "-c",
                    "trap 'rm /tmp/ready; exit 0' TERM; touch /tmp/ready; sleep 100000 & wait"));
            ids.add(stoppable);
            RunRmBench.report(who + ": stop, PID 1 exits on SIGTERM (API)", stops(api, stoppable), true);
            long[] oneShot = new long[5];
            long[] noStream = new long[3];
            for (int i = 0; i < oneShot.length; i++) {
                oneShot[i] = timed(() -> api.getOk("/containers/" + target + "/stats?stream=0&one-shot=1"));
            }
            for (int i = 0; i < noStream.length; i++) {
                noStream[i] = timed(() -> api.getOk("/containers/" + target + "/stats?stream=0"));
            }
            RunRmBench.report(who + ": stats one-shot (API)", oneShot, false);
            RunRmBench.report(who + ": stats --no-stream (API, two samples 1 s apart)", noStream, false);
            for (int i = 0; i < 19; i++) {
                String id = create(api, List.of("sleep", "100000"));
                ids.add(id);
                api.startContainer(id);
            }
            if (daemonPid > 0) {
                Thread.sleep(2000);
                System.out.println(who + ": RSS with 20 running " + rssMiB(daemonPid) + " MiB");
            }
            while (ids.size() < 50) {
                ids.add(create(api, List.of("true")));
            }
            long[] ps = new long[runs];
            api.getOk("/containers/json?all=1");
            for (int i = 0; i < runs; i++) {
                ps[i] = timedMicros(() -> api.getOk("/containers/json?all=1"));
            }
            long[] psMs = java.util.Arrays.stream(ps).map(us -> (us + 500) / 1000).toArray();
            RunRmBench.report(who + ": ps -a, 50 containers (API)", psMs, true);
            java.util.Arrays.sort(ps);
            System.out.println(who + ": ps -a median " + ps[ps.length / 2] + " us");
        } finally {
            for (String id : ids) {
                api.send("DELETE", "/containers/" + id + "?force=1", null, null);
            }
        }
    }

    private long[] execTrue(UnixHttp api, String id) throws Exception {
        byte[] create = JSON.writeValueAsBytes(Map.of("Cmd", List.of("true"), "AttachStdout", true,
                "AttachStderr", true));
        byte[] start = JSON.writeValueAsBytes(Map.of("Detach", false, "Tty", false));
        long[] ms = new long[runs];
        for (int i = -3; i < runs; i++) {
            long t0 = System.nanoTime();
            UnixHttp.Response c = api.send("POST", "/containers/" + id + "/exec", "application/json", create);
            if (c.status() != 201) {
                throw new IllegalStateException("exec create: " + c);
            }
            String exec = JSON.readTree(c.body()).path("Id").asText();
            UnixHttp.Response s = api.send("POST", "/exec/" + exec + "/start", "application/json", start);
            if (s.status() != 200 && s.status() != 101) {
                throw new IllegalStateException("exec start: " + s);
            }
            JsonNode in = JSON.readTree(api.getOk("/exec/" + exec + "/json").body());
            if (in.path("ExitCode").asInt(-1) != 0) {
                throw new IllegalStateException("exec exit: " + in);
            }
            if (i >= 0) {
                ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
        }
        return ms;
    }

    /**
     * Starts the container, waits until its shell has set its trap (the file it makes after, and
     * removes when the trap runs), then times {@code POST /stop}.
     */
    private static long[] stops(UnixHttp api, String id) throws Exception {
        long[] ms = new long[10];
        for (int i = -2; i < ms.length; i++) {
            api.startContainer(id);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (api.send("HEAD", "/containers/" + id + "/archive?path=/tmp/ready", null, null).status() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the container never became ready");
                }
                Thread.sleep(5);
            }
            long t0 = System.nanoTime();
            UnixHttp.Response r = api.send("POST", "/containers/" + id + "/stop?t=10", null, null);
            if (r.status() != 204) {
                throw new IllegalStateException("stop: " + r);
            }
            if (i >= 0) {
                ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
        }
        return ms;
    }

    private static String create(UnixHttp api, List<String> cmd) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", RunRmBench.IMAGE);
        body.set("Cmd", JSON.valueToTree(cmd));
        body.putObject("HostConfig").put("NetworkMode", "none");
        return api.createContainer(JSON.writeValueAsBytes(body));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static long timed(Call c) throws Exception {
        long t0 = System.nanoTime();
        c.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static long timedMicros(Call c) throws Exception {
        long t0 = System.nanoTime();
        c.run();
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
    }

    private static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
