package dev.wharf.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogWatch}: the followers of one directory share its watch and each hears its changes. */
class LogWatchTest {

    @TempDir
    Path dir;

    @Test
    void followersOfOneDirectory_shareItsWatch_andEachHearsAChange() throws Exception {
        LogWatch w = new LogWatch();
        Semaphore a = new Semaphore(0);
        Semaphore b = new Semaphore(0);
        try (LogWatch.Registration ra = w.watch(dir, a::release)) {
            try (LogWatch.Registration rb = w.watch(dir.resolve("."), b::release)) {
                assertThat(w.watched()).as("one watch for both").isEqualTo(1);
                Files.writeString(dir.resolve("container.log"), "x\n");
                assertThat(a.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
                assertThat(b.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(w.watched()).as("still watched for the other").isEqualTo(1);
            a.drainPermits();
            b.drainPermits(); // the first write's later events, heard before its registration closed
            Files.writeString(dir.resolve("container.log"), "y\n");
            assertThat(a.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.availablePermits()).as("a closed registration hears nothing").isZero();
        }
        assertThat(w.watched()).as("nobody left: no watch").isZero();
    }

    @Test
    void aDirectoryThatIsRemoved_tellsItsFollowers_andIsForgotten() throws Exception {
        LogWatch w = new LogWatch();
        Path sub = Files.createDirectories(dir.resolve("c1"));
        Semaphore s = new Semaphore(0);
        try (LogWatch.Registration r = w.watch(sub, s::release)) {
            Files.delete(sub);
            assertThat(s.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100 && w.watched() > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(w.watched()).isZero();
        }
    }
}
