package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.KernelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StatsCollector}: the streams of one container share each tick's reading, each frames it
 * with its own previous one, and the tick stops when the last stream closes. The container's
 * cgroup is a v2 fixture. The tests call {@link StatsCollector#tick()} themselves, with a period
 * that never comes, so what they assert does not hang on the machine's speed; one test lets the
 * scheduled tick run.
 */
class StatsCollectorTest {

    private static final String ID = "89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long NEVER_MS = Duration.ofHours(1).toMillis();

    @TempDir
    Path tmp;

    private Path cgroup;

    private StatsCollector collector(long periodMs, Duration minGap) throws IOException {
        cgroup = Files.createDirectories(tmp.resolve("cgroup/wharf").resolve(ID));
        usage(1000);
        Files.writeString(cgroup.resolve("memory.current"), "4096\n");
        Path proc = Files.createDirectories(tmp.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 1000 10 0 5 0 0 0\ncpu0 100 0 50 1000 10 0 5 0 0 0\n");
        KernelFiles files = new KernelFiles(true, tmp.resolve("cgroup"), proc);
        return new StatsCollector(c -> new Stats(c, files), periodMs, minGap.toNanos());
    }

    /** Sets the fixture cgroup's CPU time used so far. */
    private void usage(long usec) throws IOException {
        Files.writeString(cgroup.resolve("cpu.stat"),
                "usage_usec " + usec + "\nuser_usec " + usec / 2 + "\nsystem_usec " + usec / 2 + "\n");
    }

    private static Container running() {
        StoredConfig stored = new StoredConfig(ID, "web", "2024-01-01T00:00:00Z", "sha256:i", "sh", List.of(),
                ContainerConfig.empty(), HostConfig.defaults(), null, List.of());
        return new Container(stored, StateRecord.created().started(4242, 1, "2024-01-01T00:00:01Z"));
    }

    @SuppressWarnings("unchecked")
    private static Object totalUsage(Map<String, Object> frame, String key) {
        return ((Map<String, Object>) ((Map<String, Object>) frame.get(key)).get("cpu_usage")).get("total_usage");
    }

    @Test
    void streamsOfOneContainer_shareTheTicksReading_eachWithItsOwnPrevious() throws Exception {
        StatsCollector collector = collector(NEVER_MS, Duration.ZERO);
        Container c = running();
        try (StatsCollector.Stream a = collector.subscribe(c); StatsCollector.Stream b = collector.subscribe(c)) {
            // each stream's first frame is read at once, without waiting for a tick
            Map<String, Object> firstA = a.next(Duration.ZERO);
            Map<String, Object> firstB = b.next(Duration.ZERO);
            assertThat(firstA).isNotNull();
            assertThat(firstB).isNotNull();
            assertThat(totalUsage(firstA, "precpu_stats")).isEqualTo(0);
            assertThat(totalUsage(firstA, "cpu_stats")).isEqualTo(1_000_000L);

            usage(3000);
            collector.tick();
            Map<String, Object> secondA = a.next(WAIT);
            Map<String, Object> secondB = b.next(WAIT);
            assertThat(secondA.get("cpu_stats")).as("one reading behind both frames").isSameAs(secondB.get("cpu_stats"));
            assertThat(totalUsage(secondA, "cpu_stats")).isEqualTo(3_000_000L);
            assertThat(secondA.get("precpu_stats")).isSameAs(firstA.get("cpu_stats"));
            assertThat(secondB.get("precpu_stats")).isSameAs(firstB.get("cpu_stats"));
            assertThat(secondA.get("preread")).isEqualTo(firstA.get("read"));
            assertThat(collector.ticking()).isTrue();
        }
        assertThat(collector.ticking()).as("no stream open: no tick").isFalse();
    }

    @Test
    void aSlowReader_getsTheLatestReading_notABacklog() throws Exception {
        StatsCollector collector = collector(NEVER_MS, Duration.ZERO);
        try (StatsCollector.Stream s = collector.subscribe(running())) {
            s.next(Duration.ZERO);
            for (long usec : new long[] {2000, 3000, 4000}) { // three ticks go by unread
                usage(usec);
                collector.tick();
            }
            Map<String, Object> next = s.next(WAIT);
            assertThat(totalUsage(next, "cpu_stats")).as("the last tick's reading").isEqualTo(4_000_000L);
            assertThat(totalUsage(next, "precpu_stats")).isEqualTo(1_000_000L);
            assertThat(s.next(Duration.ofMillis(100))).as("nothing queued behind it").isNull();
        }
    }

    @Test
    void aTickSoonAfterAStreamsLastFrame_isSkipped() throws Exception {
        StatsCollector collector = collector(NEVER_MS, Duration.ofHours(1));
        try (StatsCollector.Stream s = collector.subscribe(running())) {
            assertThat(s.next(Duration.ZERO)).isNotNull();
            collector.tick();
            assertThat(s.next(Duration.ZERO)).as("a frame a few ms after the last is noise: none").isNull();
        }
    }

    @Test
    void theScheduledTick_feedsAnOpenStream() throws Exception {
        StatsCollector collector = collector(50, Duration.ZERO);
        try (StatsCollector.Stream s = collector.subscribe(running())) {
            s.next(Duration.ZERO);
            usage(5000);
            // a tick may have read the fixture before (or while) it was rewritten: wait for one after
            Object seen = null;
            for (int i = 0; i < 100 && !Long.valueOf(5_000_000L).equals(seen); i++) {
                Map<String, Object> next = s.next(WAIT);
                assertThat(next).as("a frame within %s", WAIT).isNotNull();
                seen = totalUsage(next, "cpu_stats");
            }
            assertThat(seen).isEqualTo(5_000_000L);
        }
        assertThat(collector.ticking()).isFalse();
    }
}
