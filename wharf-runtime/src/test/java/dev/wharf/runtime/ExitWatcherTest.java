package dev.wharf.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitWatcherTest {

    @TempDir
    Path dir;

    @Test
    void reportsExistingEmptyThenWrittenAndRecreatedFiles() throws Exception {
        Files.writeString(dir.resolve("old"), "3");
        BlockingQueue<Map.Entry<String, Integer>> q = new ArrayBlockingQueue<>(10);
        try (ExitWatcher w = new ExitWatcher(dir, (id, code) -> q.add(Map.entry(id, code)))) {
            w.start();
            assertThat(q.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("old", 3));
            Path f = dir.resolve("late");
            Files.createFile(f);
            assertThat(q.poll(200, TimeUnit.MILLISECONDS)).isNull();
            Files.writeString(f, "137");
            assertThat(q.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("late", 137));
            Files.writeString(f, "137"); // a second MODIFY is not a second exit
            Files.writeString(dir.resolve(".tmp"), "1");
            assertThat(q.poll(200, TimeUnit.MILLISECONDS)).isNull();
            Files.delete(f);
            Files.writeString(f, "0");
            assertThat(q.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("late", 0));
        }
    }
}
