package dev.wharf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
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
 * Wharf with many running containers, on a wharfd of its own (temporary roots):
 * <ol>
 *   <li>N containers ({@code sleep}, default 500) created and started one after the other, every
 *       other one with {@code --network none} and on a user bridge network: the start time
 *       ({@code POST /containers/{id}/start}) of the first and the last of each kind, beside a
 *       bare {@code runc run true} outside wharfd before and with the N running: how much of the
 *       growth is the runtime's and the kernel's (mounts, namespaces and links the host holds);
 *   <li>{@code GET /containers/json} with all N running: median and p99 of 100;
 *   <li>memory: the daemon's VmRSS idle and with N running, the growth per container, and the
 *       conmons' RSS and PSS per container;
 *   <li>a daemon restart (SIGTERM, the containers keep running): the time from the new process's
 *       start to the first {@code /containers/json} that lists all N as running.
 * </ol>
 * Usage: {@code bench/scale.sh [--containers N] [--list-runs N]}. Targets (issue 15): list
 * &lt;= 20 ms, the last start within 1.2x of the first, &lt;= 2 MiB per container, reconcile &lt;= 5 s.
 */
public final class ScaleBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private int count = 500;
    private int listRuns = 100;

    public static void main(String[] args) throws Exception {
        ScaleBench b = new ScaleBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--containers", "-n" -> b.count = Integer.parseInt(args[++i]);
                case "--list-runs" -> b.listRuns = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: bench/scale.sh [--containers N] [--list-runs N]");
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Path repo = RunRmBench.repoRoot();
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        Path work = Path.of("/tmp", "wharf-bench-scale-" + tag);
        Files.createDirectories(work);
        String bridge = "wscale" + tag;
        UnixHttp api = new UnixHttp(work.resolve("wharf.sock"));
        Process wharfd = null;
        List<String> ids = new ArrayList<>();
        try {
            Path tar = work.resolve("busybox.tar");
            RunRmBench.exec(List.of(repo.resolve("scripts/make-busybox-rootfs.sh").toString(), tar.toString()), Map.of());
            wharfd = startWharfd(repo, work, api, bridge);
            RunRmBench.importImage(api, tar);
            String net = createNetwork(api, "wharf-scale-" + tag);
            System.out.println(Files.exists(Path.of("/var/run/docker.sock"))
                    ? "docker: a daemon is installed; this bench measures wharfd only (it restarts its daemon)"
                    : "docker: not installed");
            System.out.println("wharfd: started on " + work + "   containers: " + count
                    + "   load: " + Files.readString(Path.of("/proc/loadavg")).strip());
            Thread.sleep(3000);
            long rssIdle = rssKiB(wharfd.pid());
            System.out.println("daemon RSS idle: " + rssIdle / 1024 + " MiB");
            System.out.printf("list, 0 running: median %.2f ms%n", median(listMicros(api, 20)) / 1000.0);

            long floorEmpty = median(RunRmBench.measureRunc(work.resolve("floor-empty"), tar, 7));

            long[] startNone = new long[(count + 1) / 2];
            long[] startBridge = new long[count / 2];
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                boolean none = i % 2 == 0;
                String id = create(api, none ? "none" : net);
                ids.add(id);
                long s = System.nanoTime();
                api.startContainer(id);
                long us = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - s);
                (none ? startNone : startBridge)[i / 2] = us;
                if ((i + 1) % 100 == 0) {
                    System.out.printf("  %d started (%.0f s)%n", i + 1, (System.nanoTime() - t0) / 1e9);
                }
            }
            reportStarts("--network none", startNone);
            reportStarts("bridge network", startBridge);
            long floorFull = median(RunRmBench.measureRunc(work.resolve("floor-full"), tar, 7));
            System.out.printf("runc run true outside wharfd (the floor): %d ms with none running, %d ms with %d: %.2fx%n",
                    floorEmpty, floorFull, count, (double) floorFull / Math.max(1, floorEmpty));

            long cpu0 = cpuMillis(wharfd.pid());
            long[] list = listMicros(api, listRuns);
            long cpu1 = cpuMillis(wharfd.pid());
            int listed = running(api);
            System.out.printf("list (GET /containers/json), %d running: median %.2f ms  p99 %.2f ms  (n=%d)   target <= 20 ms%n",
                    listed, median(list) / 1000.0, percentile(list, 0.99) / 1000.0, list.length);
            // the daemon's own CPU time per list: what the wall time would be on an idle machine
            System.out.printf("list: daemon process CPU %.2f ms per request (all its threads, the JIT compiler too)%n", (cpu1 - cpu0) / (double) (list.length + 3));

            Thread.sleep(3000);
            long rssFull = rssKiB(wharfd.pid());
            long[] conmon = conmonKiB(work);
            double daemonPer = (rssFull - rssIdle) / 1024.0 / count;
            double conmonRssPer = conmon[0] / 1024.0 / Math.max(1, conmon[2]);
            double conmonPssPer = conmon[1] / 1024.0 / Math.max(1, conmon[2]);
            System.out.printf("daemon RSS with %d running: %d MiB (idle %d MiB): %.2f MiB per container%n",
                    count, rssFull / 1024, rssIdle / 1024, daemonPer);
            System.out.printf("conmon: %d processes, RSS %.2f MiB each, PSS %.2f MiB each%n", conmon[2], conmonRssPer,
                    conmonPssPer);
            System.out.printf("engine memory per container (daemon growth + conmon): %.2f MiB by RSS, %.2f MiB by PSS"
                    + "   target <= 2 MiB%n", daemonPer + conmonRssPer, daemonPer + conmonPssPer);

            wharfd.destroy();
            if (!wharfd.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wharfd did not stop in 60 s");
            }
            long restart = System.nanoTime();
            wharfd = launch(repo, work, api, bridge);
            long pinged = -1;
            long deadline = restart + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                if (!wharfd.isAlive()) {
                    throw new IllegalStateException("wharfd exited:\n" + Files.readString(work.resolve("wharfd.log")));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the restarted wharfd did not list " + count + " running in 120 s");
                }
                if (Files.exists(api.socket()) && api.ping()) {
                    if (pinged < 0) {
                        pinged = System.nanoTime();
                    }
                    if (running(api) == count) {
                        break;
                    }
                }
                Thread.sleep(10);
            }
            long done = System.nanoTime();
            System.out.printf("restart: first /_ping after %d ms, all %d listed as running after %d ms   target <= 5000 ms%n",
                    TimeUnit.NANOSECONDS.toMillis(pinged - restart), count, TimeUnit.NANOSECONDS.toMillis(done - restart));
            long[] after = listMicros(api, 20);
            System.out.printf("list after the restart: median %.2f ms%n", median(after) / 1000.0);
        } finally {
            if (wharfd != null && wharfd.isAlive()) {
                long t = System.nanoTime();
                for (String id : ids) {
                    api.send("DELETE", "/containers/" + id + "?force=1", null, null);
                }
                if (!ids.isEmpty()) {
                    System.out.printf("removed %d containers in %.1f s%n", ids.size(), (System.nanoTime() - t) / 1e9);
                }
                api.send("DELETE", "/networks/wharf-scale-" + tag, null, null);
            }
            if (wharfd != null) {
                RunRmBench.stopWharfd(wharfd, work);
            }
            RunRmBench.exec(List.of("rm", "-rf", "--one-file-system", work.toString()), Map.of());
        }
    }

    private static void reportStarts(String what, long[] us) {
        if (us.length == 0) {
            return;
        }
        int k = Math.min(5, us.length);
        long first = median(Arrays.copyOfRange(us, 0, k));
        long last = median(Arrays.copyOfRange(us, us.length - k, us.length));
        System.out.printf("start, %s: #1 %.1f ms, #%d %.1f ms; median of the first %d %.1f ms, of the last %d %.1f ms:"
                        + " last/first %.2f   target <= 1.2%n", what, us[0] / 1000.0, us.length, us[us.length - 1] / 1000.0,
                k, first / 1000.0, k, last / 1000.0, (double) last / first);
    }

    // ---- the daemon ----

    private static Process startWharfd(Path repo, Path work, UnixHttp api, String bridge) throws Exception {
        Process p = launch(repo, work, api, bridge);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("wharfd exited:\n" + Files.readString(work.resolve("wharfd.log")));
            }
            if (Files.exists(api.socket()) && api.ping()) {
                return p;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("wharfd did not answer /_ping in 60 s");
    }

    /** bin/wharfd on the bench's roots; the same bridge name across a restart. */
    private static Process launch(Path repo, Path work, UnixHttp api, String bridge) throws IOException {
        Path data = Files.createDirectories(work.resolve("data"));
        Path exec = Files.createDirectories(work.resolve("exec"));
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/wharfd").toString(), "--data-root", data.toString(),
                "--exec-root", exec.toString(), "--host", "unix://" + api.socket(), "--bridge", bridge);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("wharfd.log").toFile()));
        return pb.start();
    }

    private static String createNetwork(UnixHttp api, String name) throws IOException {
        UnixHttp.Response r = api.send("POST", "/networks/create", "application/json",
                JSON.writeValueAsBytes(Map.of("Name", name, "Driver", "bridge")));
        if (r.status() != 201) {
            throw new IllegalStateException("network create: " + r);
        }
        return name;
    }

    private static String create(UnixHttp api, String network) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", RunRmBench.IMAGE);
        body.putArray("Cmd").add("sleep").add("100000");
        body.putObject("HostConfig").put("NetworkMode", network);
        return api.createContainer(JSON.writeValueAsBytes(body));
    }

    private static int running(UnixHttp api) throws IOException {
        UnixHttp.Response r = api.send("GET", "/containers/json", null, null);
        if (r.status() != 200) {
            return -1;
        }
        int n = 0;
        for (JsonNode c : JSON.readTree(r.body())) {
            if (c.path("State").asText().equals("running")) {
                n++;
            }
        }
        return n;
    }

    private static long[] listMicros(UnixHttp api, int runs) throws IOException {
        for (int i = 0; i < 3; i++) {
            api.getOk("/containers/json");
        }
        long[] us = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            api.getOk("/containers/json");
            us[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
        }
        return us;
    }

    /** utime + stime of a process, in ms (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    // ---- memory ----

    private static long rssKiB(long pid) throws IOException {
        return statusKiB(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
    }

    private static long statusKiB(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** {RSS KiB, PSS KiB, count} of the conmons of this bench's exec root. */
    private static long[] conmonKiB(Path work) throws IOException {
        long rss = 0;
        long pss = 0;
        long n = 0;
        String root = work.toString();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (!cmd.contains("conmon") || !cmd.contains(root)) {
                        continue;
                    }
                    rss += statusKiB(p.resolve("status"), "VmRSS:");
                    pss += statusKiB(p.resolve("smaps_rollup"), "Pss:");
                    n++;
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return new long[] {rss, pss, n};
    }

    // ---- statistics ----

    private static long median(long[] v) {
        return percentile(v, 0.5);
    }

    private static long percentile(long[] v, double q) {
        long[] s = v.clone();
        Arrays.sort(s);
        return RunRmBench.percentile(s, q);
    }
}
