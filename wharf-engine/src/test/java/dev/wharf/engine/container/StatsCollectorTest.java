package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.KernelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StatsCollector}: the streams of one container share each tick's reading, each frames it
 * with its own previous one, and the tick stops when the last stream closes. The container's
 * cgroup is a v2 fixture; the tick is 50 ms so the test does not wait for whole seconds.
 */
class StatsCollectorTest {

    private static final String ID = "89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private StatsCollector collector() throws IOException {
        Path cgroup = Files.createDirectories(tmp.resolve("cgroup/wharf").resolve(ID));
        Files.writeString(cgroup.resolve("cpu.stat"), "usage_usec 1000\nuser_usec 600\nsystem_usec 400\n");
        Files.writeString(cgroup.resolve("memory.current"), "4096\n");
        Path proc = Files.createDirectories(tmp.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 1000 10 0 5 0 0 0\ncpu0 100 0 50 1000 10 0 5 0 0 0\n");
        KernelFiles files = new KernelFiles(true, tmp.resolve("cgroup"), proc);
        return new StatsCollector(c -> new Stats(c, files), 50);
    }

    private static Container running() {
        StoredConfig stored = new StoredConfig(ID, "web", "2024-01-01T00:00:00Z", "sha256:i", "sh", List.of(),
                ContainerConfig.empty(), HostConfig.defaults(), null, List.of());
        return new Container(stored, StateRecord.created().started(4242, 1, "2024-01-01T00:00:01Z"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamsOfOneContainer_shareTheTicksReading_eachWithItsOwnPrevious() throws Exception {
        StatsCollector collector = collector();
        Container c = running();
        try (StatsCollector.Stream a = collector.subscribe(c); StatsCollector.Stream b = collector.subscribe(c)) {
            // each stream's first frame is read at once, without waiting for a tick
            Map<String, Object> firstA = a.next(Duration.ZERO);
            Map<String, Object> firstB = b.next(Duration.ZERO);
            assertThat(firstA).isNotNull();
            assertThat(firstB).isNotNull();
            assertThat((Map<String, Object>) ((Map<String, Object>) firstA.get("precpu_stats")).get("cpu_usage"))
                    .containsEntry("total_usage", 0);

            Map<String, Object> secondA = a.next(WAIT);
            Map<String, Object> secondB = b.next(WAIT);
            assertThat(secondA).isNotNull();
            assertThat(secondB).isNotNull();
            // one reading behind both frames (a stream may skip the tick right after its first frame)
            Map<String, Object> thirdA = secondA.get("read").equals(secondB.get("read")) ? secondA : a.next(WAIT);
            Map<String, Object> cpuB = (Map<String, Object>) (thirdA == secondA ? secondB : b.next(WAIT))
                    .get("cpu_stats");
            assertThat(thirdA.get("cpu_stats")).as("the same reading object").isSameAs(cpuB);
            assertThat(secondA.get("precpu_stats")).isSameAs(firstA.get("cpu_stats"));
            assertThat(secondB.get("precpu_stats")).isSameAs(firstB.get("cpu_stats"));
            assertThat(secondA.get("preread")).isEqualTo(firstA.get("read"));
            assertThat(collector.ticking()).isTrue();
        }
        assertThat(collector.ticking()).as("no stream open: no tick").isFalse();
    }

    @Test
    void aSlowReader_getsTheLatestReading_notABacklog() throws Exception {
        StatsCollector collector = collector();
        try (StatsCollector.Stream s = collector.subscribe(running())) {
            s.next(WAIT);
            Instant pause = Instant.now();
            Thread.sleep(600); // about ten ticks go by unread
            Map<String, Object> next = s.next(WAIT);
            // the reading of the last tick before it asked, not the first one after its first frame
            assertThat(Instant.parse((String) next.get("read"))).isAfter(pause.plusMillis(300));
        }
    }
}
