package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.KernelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 path of {@link Stats}, against a fixture laid out as the kernel lays out a
 * container's v2 cgroup ({@code <root>/wharf/<id>/memory.current} and so on) and /proc. The
 * fields asserted are those the docker CLI reads for {@code docker stats}.
 */
class StatsV2Test {

    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final int PID = 4242;

    @TempDir
    Path tmp;
    Path cgroup;
    Path proc;

    @BeforeEach
    void fixture() throws IOException {
        cgroup = Files.createDirectories(tmp.resolve("cgroup/wharf").resolve(ID));
        proc = Files.createDirectories(tmp.resolve("proc"));
        write(cgroup, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        write(cgroup, "cpu.stat", """
                usage_usec 123456
                user_usec 100000
                system_usec 23456
                core_sched.force_idle_usec 0
                nr_periods 10
                nr_throttled 2
                throttled_usec 5000
                nr_bursts 0
                burst_usec 0
                """);
        write(cgroup, "memory.current", "8388608\n");
        write(cgroup, "memory.max", "67108864\n");
        write(cgroup, "memory.stat", """
                anon 4194304
                file 3145728
                kernel 262144
                shmem 0
                active_anon 0
                inactive_anon 4194304
                active_file 1048576
                inactive_file 2097152
                pgfault 1500
                pgmajfault 3
                """);
        write(cgroup, "memory.events", "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\noom_group_kill 0\n");
        write(cgroup, "io.stat", """
                8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0
                253:1 rbytes=512 wbytes=0 rios=1 wios=0 dbytes=0 dios=0
                """);
        write(cgroup, "pids.current", "3\n");
        write(cgroup, "pids.max", "20\n");
        write(proc, "stat", """
                cpu  100 0 50 1000 10 0 5 7 0 0
                cpu0 50 0 25 500 5 0 3 0 0 0
                cpu1 50 0 25 500 5 0 2 0 0 0
                intr 12345 0 0
                ctxt 999
                btime 1700000000
                """);
        write(proc, "meminfo", "MemTotal:        2048000 kB\nMemFree:          100000 kB\n");
        write(proc.resolve(String.valueOf(PID)).resolve("net"), "dev", """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
                  eth0:    2000      20    1    2    0     0          0         0     3000      30    3    4    0     0       0          0
                """);
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), text);
    }

    private Stats stats() {
        ContainerConfig cfg = ContainerConfig.empty();
        StoredConfig stored = new StoredConfig(ID, "web", "2024-01-01T00:00:00Z", "sha256:i", "sh", List.of(), cfg,
                HostConfig.defaults(), null, List.of());
        Container c = new Container(stored, StateRecord.created().started(PID, 1, "2024-01-01T00:00:01Z"));
        return new Stats(c, new KernelFiles(true, tmp.resolve("cgroup"), proc));
    }

    @Test
    @SuppressWarnings("unchecked")
    void cpu_fromCpuStatInNanoseconds_andTheHostsFromProcStat() {
        Map<String, Object> s = stats().sample();
        Map<String, Object> cpu = (Map<String, Object>) s.get("cpu_stats");
        Map<String, Object> usage = (Map<String, Object>) cpu.get("cpu_usage");
        assertThat(usage).containsEntry("total_usage", 123_456_000L)
                .containsEntry("usage_in_usermode", 100_000_000L)
                .containsEntry("usage_in_kernelmode", 23_456_000L);
        // user+nice+system+idle+iowait+irq+softirq, as moby sums them: steal (7) is not the host's work
        assertThat(cpu).containsEntry("system_cpu_usage", 1165L * 10_000_000L).containsEntry("online_cpus", 2L);
        assertThat((Map<String, Object>) cpu.get("throttling_data")).containsEntry("periods", 10L)
                .containsEntry("throttled_periods", 2L).containsEntry("throttled_time", 5_000_000L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void precpu_isTheSampleBefore() {
        Stats st = stats();
        Map<String, Object> first = st.sample();
        assertThat((Map<String, Object>) ((Map<String, Object>) first.get("precpu_stats")).get("cpu_usage"))
                .containsEntry("total_usage", 0);
        Map<String, Object> second = st.sample();
        assertThat(second.get("precpu_stats")).isEqualTo(first.get("cpu_stats"));
        assertThat(second.get("preread")).isEqualTo(first.get("read"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void memory_usageLimitStatsAndOomCount() throws IOException {
        Map<String, Object> mem = (Map<String, Object>) stats().sample().get("memory_stats");
        assertThat(mem).containsEntry("usage", 8_388_608L).containsEntry("limit", 67_108_864L)
                .containsEntry("failcnt", 2L).doesNotContainKey("max_usage");
        assertThat((Map<String, Long>) mem.get("stats")).containsEntry("inactive_file", 2_097_152L)
                .containsEntry("anon", 4_194_304L).containsEntry("pgmajfault", 3L);

        write(cgroup, "memory.max", "max\n"); // no limit: the host's memory, as Docker reports it
        mem = (Map<String, Object>) stats().sample().get("memory_stats");
        assertThat(mem).containsEntry("limit", 2_048_000L * 1024);
    }

    @Test
    @SuppressWarnings("unchecked")
    void blkio_readAndWriteBytesPerDevice() {
        Map<String, Object> b = (Map<String, Object>) stats().sample().get("blkio_stats");
        assertThat((List<Map<String, Object>>) b.get("io_service_bytes_recursive")).containsExactly(
                Map.of("major", 8L, "minor", 0L, "op", "read", "value", 4096L),
                Map.of("major", 8L, "minor", 0L, "op", "write", "value", 8192L),
                Map.of("major", 253L, "minor", 1L, "op", "read", "value", 512L),
                Map.of("major", 253L, "minor", 1L, "op", "write", "value", 0L));
    }

    @Test
    @SuppressWarnings("unchecked")
    void pids_andNetworks() throws IOException {
        Map<String, Object> s = stats().sample();
        assertThat((Map<String, Object>) s.get("pids_stats")).containsEntry("current", 3L).containsEntry("limit", 20L);
        assertThat((Map<String, Object>) s.get("networks")).containsOnlyKeys("eth0");
        assertThat((Map<String, Object>) ((Map<String, Object>) s.get("networks")).get("eth0"))
                .containsEntry("rx_bytes", 2000L).containsEntry("tx_bytes", 3000L)
                .containsEntry("rx_errors", 1L).containsEntry("tx_dropped", 4L);

        write(cgroup, "pids.max", "max\n");
        assertThat((Map<String, Object>) stats().sample().get("pids_stats")).containsOnlyKeys("current");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStoppedContainer_reportsZeros() {
        ContainerConfig cfg = ContainerConfig.empty();
        StoredConfig stored = new StoredConfig(ID, "web", "2024-01-01T00:00:00Z", "sha256:i", "sh", List.of(), cfg,
                HostConfig.defaults(), null, List.of());
        Map<String, Object> s = new Stats(new Container(stored, StateRecord.created()),
                new KernelFiles(true, tmp.resolve("cgroup"), proc)).sample();
        assertThat(s.get("read")).isEqualTo("0001-01-01T00:00:00Z");
        assertThat((Map<String, Object>) s.get("memory_stats")).isEmpty();
    }
}
