package dev.wharf.engine.container;

import dev.wharf.engine.common.Times;
import dev.wharf.runtime.cgroup.KernelFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container's resource usage as {@code GET /containers/{id}/stats} reports it, read from its
 * cgroup (v1: one directory per controller, {@code /sys/fs/cgroup/<ctrl>/wharf/<id>}; v2: one
 * directory, {@code /sys/fs/cgroup/wharf/<id>}) and from {@code /proc/<pid>/net/dev}. Each
 * {@link #sample()} carries the previous one in {@code precpu_stats} (zeroed in the first), which
 * is what the docker CLI needs to compute CPU %. A container that does not run reports zeros.
 * Streams share readings through {@link StatsCollector}.
 */
public final class Stats {

    private static final long NS_PER_TICK = 1_000_000_000L / 100; // USER_HZ is 100 on Linux

    private final Container c;
    private final boolean v2;
    private final KernelFiles files;
    private final Frames own = new Frames();

    Stats(Container c) {
        this(c, KernelFiles.host());
    }

    /** A sampler reading {@code files} (tests give it fixture directories). */
    Stats(Container c, KernelFiles files) {
        this.c = c;
        this.v2 = files.v2();
        this.files = files;
    }

    /** Whether the container was removed (a stream ends then). */
    public boolean gone() {
        return c.removed;
    }

    /** Whether the container runs now (a one-off sample waits for a second one then, as Docker's does). */
    public boolean running() {
        return !c.removed && c.state.running();
    }

    String containerId() {
        return c.id.value();
    }

    /** A reading, with the CPU figures of this sampler's previous one in {@code precpu_stats}. */
    public Map<String, Object> sample() {
        return own.frame(read());
    }

    /**
     * One reading of the container as the API reports it, {@code preread} and {@code precpu_stats}
     * left empty: those are the previous frame's, which each stream fills in ({@link Frames}).
     * Reads only; safe from any thread.
     */
    Map<String, Object> read() {
        boolean running = c.state.running() && c.state.pid() > 0;
        Map<String, Object> out = new LinkedHashMap<>();
        String now = Times.rfc3339(Instant.now());
        out.put("read", running ? now : Times.ZERO);
        out.put("preread", null);
        Map<String, Object> cpu = running ? cpu() : zeroCpu();
        Map<String, Object> pids = new LinkedHashMap<>();
        Map<String, Object> blkio = new LinkedHashMap<>();
        Map<String, Object> mem = new LinkedHashMap<>();
        if (running) {
            pids.put("current", num(file("pids", "pids.current")));
            long pmax = num(file("pids", "pids.max"));
            if (pmax > 0) {
                pids.put("limit", pmax);
            }
            blkio = blkio();
            mem = memory();
        } else {
            for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
                    "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive",
                    "io_time_recursive", "sectors_recursive")) {
                blkio.put(k, null);
            }
        }
        out.put("pids_stats", pids);
        out.put("blkio_stats", blkio);
        out.put("num_procs", 0);
        out.put("storage_stats", Map.of());
        out.put("cpu_stats", cpu);
        out.put("precpu_stats", null);
        out.put("memory_stats", mem);
        out.put("name", "/" + c.name());
        out.put("id", c.id.value());
        if (running && !"none".equals(c.cfg.hostConfig().networkMode())) {
            out.put("networks", networks(files, c.state.pid()));
        }
        return out;
    }

    /**
     * One stream's frames: each reading with the stream's previous frame in {@code preread} and
     * {@code precpu_stats} (zeros in its first), which is what the docker CLI computes CPU % from.
     * Readings may be shared between streams; a frame is the stream's own shallow copy.
     */
    static final class Frames {
        private Object prevCpu;
        private Object prevRead = Times.ZERO;

        Map<String, Object> frame(Map<String, Object> reading) {
            Map<String, Object> out = new LinkedHashMap<>(reading);
            out.put("preread", prevRead);
            out.put("precpu_stats", prevCpu == null ? zeroCpu() : prevCpu);
            prevCpu = reading.get("cpu_stats");
            prevRead = reading.get("read");
            return out;
        }
    }

    // ---- cpu ----

    private Map<String, Object> cpu() {
        Map<String, Object> usage = new LinkedHashMap<>();
        Map<String, Object> throttling = new LinkedHashMap<>();
        if (v2) {
            Map<String, Long> st = keyed(file("cpu", "cpu.stat"));
            usage.put("total_usage", st.getOrDefault("usage_usec", 0L) * 1000);
            usage.put("usage_in_kernelmode", st.getOrDefault("system_usec", 0L) * 1000);
            usage.put("usage_in_usermode", st.getOrDefault("user_usec", 0L) * 1000);
            throttling.put("periods", st.getOrDefault("nr_periods", 0L));
            throttling.put("throttled_periods", st.getOrDefault("nr_throttled", 0L));
            throttling.put("throttled_time", st.getOrDefault("throttled_usec", 0L) * 1000);
        } else {
            usage.put("total_usage", num(file("cpuacct", "cpuacct.usage")));
            List<Long> percpu = new ArrayList<>();
            for (String s : file("cpuacct", "cpuacct.usage_percpu").trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    percpu.add(parse(s));
                }
            }
            usage.put("percpu_usage", percpu);
            Map<String, Long> st = keyed(file("cpuacct", "cpuacct.stat"));
            usage.put("usage_in_kernelmode", st.getOrDefault("system", 0L) * NS_PER_TICK);
            usage.put("usage_in_usermode", st.getOrDefault("user", 0L) * NS_PER_TICK);
            Map<String, Long> th = keyed(file("cpu", "cpu.stat"));
            throttling.put("periods", th.getOrDefault("nr_periods", 0L));
            throttling.put("throttled_periods", th.getOrDefault("nr_throttled", 0L));
            throttling.put("throttled_time", th.getOrDefault("throttled_time", 0L));
        }
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        long[] host = hostCpu(files);
        cpu.put("system_cpu_usage", host[0]);
        cpu.put("online_cpus", host[1]);
        cpu.put("throttling_data", throttling);
        return cpu;
    }

    private static Map<String, Object> zeroCpu() {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", 0);
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        cpu.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return cpu;
    }

    /**
     * Host CPU time in ns and the number of online CPUs, from /proc/stat: the {@code cpu} line's
     * user, nice, system, idle, iowait, irq and softirq, as moby's {@code getSystemCPUUsage} sums
     * them (steal, guest and guest_nice left out: steal is time the host did not get).
     */
    static long[] hostCpu(KernelFiles files) {
        long total = 0;
        long cpus = 0;
        for (String line : files.proc("stat")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                for (int i = 1; i < f.length && i <= 7; i++) {
                    total += parse(f[i]);
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return new long[] {total * NS_PER_TICK, cpus};
    }

    // ---- memory ----

    private Map<String, Object> memory() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> stat = keyed(file("memory", "memory.stat"));
        long limit;
        if (v2) {
            m.put("usage", num(file("memory", "memory.current")));
            limit = num(file("memory", "memory.max"));
            // v2 has no failcnt; moby reports the OOM events instead (max_usage has no v2 counterpart)
            m.put("failcnt", keyed(file("memory", "memory.events")).getOrDefault("oom", 0L));
        } else {
            m.put("usage", num(file("memory", "memory.usage_in_bytes")));
            m.put("max_usage", num(file("memory", "memory.max_usage_in_bytes")));
            limit = num(file("memory", "memory.limit_in_bytes"));
            long failcnt = num(file("memory", "memory.failcnt"));
            m.put("failcnt", failcnt);
        }
        m.put("stats", stat);
        long host = hostMemTotal(files);
        m.put("limit", limit <= 0 || host > 0 && limit > host ? host : limit);
        return m;
    }

    static long hostMemTotal(KernelFiles files) {
        for (String line : files.proc("meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return parse(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    // ---- block I/O ----

    private Map<String, Object> blkio() {
        Map<String, Object> b = new LinkedHashMap<>();
        List<Map<String, Object>> bytes = new ArrayList<>();
        List<Map<String, Object>> ios = new ArrayList<>();
        if (v2) {
            for (String line : file("io", "io.stat").split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || !f[0].contains(":")) {
                    continue;
                }
                String[] mm = f[0].split(":");
                Map<String, Long> kv = new LinkedHashMap<>();
                for (int i = 1; i < f.length; i++) {
                    int eq = f[i].indexOf('=');
                    if (eq > 0) {
                        kv.put(f[i].substring(0, eq), parse(f[i].substring(eq + 1)));
                    }
                }
                bytes.add(entry(mm[0], mm[1], "read", kv.getOrDefault("rbytes", 0L)));
                bytes.add(entry(mm[0], mm[1], "write", kv.getOrDefault("wbytes", 0L)));
                ios.add(entry(mm[0], mm[1], "read", kv.getOrDefault("rios", 0L)));
                ios.add(entry(mm[0], mm[1], "write", kv.getOrDefault("wios", 0L)));
            }
        } else {
            String sb = file("blkio", "blkio.io_service_bytes_recursive");
            if (sb.isBlank() || onlyTotal(sb)) {
                sb = file("blkio", "blkio.throttle.io_service_bytes_recursive");
            }
            String si = file("blkio", "blkio.io_serviced_recursive");
            if (si.isBlank() || onlyTotal(si)) {
                si = file("blkio", "blkio.throttle.io_serviced_recursive");
            }
            v1Entries(sb, bytes);
            v1Entries(si, ios);
        }
        b.put("io_service_bytes_recursive", bytes);
        b.put("io_serviced_recursive", ios);
        for (String k : List.of("io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive",
                "io_merged_recursive", "io_time_recursive", "sectors_recursive")) {
            b.put(k, null);
        }
        return b;
    }

    private static boolean onlyTotal(String s) {
        return s.lines().allMatch(l -> l.isBlank() || l.startsWith("Total"));
    }

    /** Lines like {@code 8:0 Read 4096}; the Total lines are left out, as moby does. */
    private static void v1Entries(String text, List<Map<String, Object>> out) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] mm = f[0].split(":");
                out.add(entry(mm[0], mm[1], f[1], parse(f[2])));
            }
        }
    }

    private static Map<String, Object> entry(String major, String minor, String op, long value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("major", parse(major));
        e.put("minor", parse(minor));
        e.put("op", op);
        e.put("value", value);
        return e;
    }

    // ---- network ----

    /** Per-interface counters from the container's network namespace, loopback left out. */
    static Map<String, Object> networks(KernelFiles files, int pid) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line : files.proc(pid + "/net/dev")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("rx_bytes", parse(f[0]));
            n.put("rx_packets", parse(f[1]));
            n.put("rx_errors", parse(f[2]));
            n.put("rx_dropped", parse(f[3]));
            n.put("tx_bytes", parse(f[8]));
            n.put("tx_packets", parse(f[9]));
            n.put("tx_errors", parse(f[10]));
            n.put("tx_dropped", parse(f[11]));
            out.put(name, n);
        }
        return out;
    }

    // ---- files ----

    private String file(String controller, String name) {
        return files.cgroup(controller, HostConfinement.cgroupsPath(c.host(), c.id), name);
    }

    /** {@code key value} lines (memory.stat, cpu.stat, cpuacct.stat). */
    static Map<String, Long> keyed(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                m.put(f[0], parse(f[1]));
            }
        }
        return m;
    }

    private static long num(String s) {
        return parse(s.trim());
    }

    private static long parse(String s) {
        if (s.isEmpty() || s.equals("max")) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return new java.math.BigInteger(s).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            } catch (NumberFormatException e2) {
                return 0;
            }
        }
    }
}
