package dev.wharf.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The exec FIFO handshake with runc's init, played by a thread (the writer side) or by nobody. */
class ExecFifoTest {

    @TempDir
    Path root;

    private Path fifo(String id) throws Exception {
        Files.createDirectories(root.resolve(id));
        Path f = root.resolve(id).resolve("exec.fifo");
        assertThat(new ProcessBuilder("mkfifo", f.toString()).start().waitFor()).isZero();
        return f;
    }

    private static int self() {
        return (int) ProcessHandle.current().pid();
    }

    @Test
    @Timeout(10)
    void release_readsTheInitsByte_thenRemovesTheFifo() throws Exception {
        Path f = fifo("c1");
        assertThat(ExecFifo.of(root, "c1")).isEqualTo(f);
        CompletableFuture<Void> init = CompletableFuture.runAsync(() -> {
            try (OutputStream o = Files.newOutputStream(f)) { // blocks until the reader opens, as runc's init
                o.write('0');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ExecFifo.release(f, self());
        init.get(5, TimeUnit.SECONDS);
        assertThat(f).doesNotExist();
        assertThat(ExecFifo.of(root, "c1")).as("a started container has no FIFO").isNull();
    }

    @Test
    @Timeout(10)
    void release_fromAVirtualThread_doesTheSameHandshake() throws Exception {
        Path f = fifo("cv");
        CompletableFuture.runAsync(() -> {
            try (OutputStream o = Files.newOutputStream(f)) {
                o.write('0');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread v = Thread.ofVirtual().start(() -> ExecFifo.release(f, self()));
        v.join();
        assertThat(f).doesNotExist();
    }

    @Test
    @Timeout(10)
    void release_ofAnInitThatDiedBeforeOpeningItsEnd_failsInsteadOfBlocking() throws Exception {
        Path f = fifo("c2");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertThatThrownBy(() -> ExecFifo.release(f, (int) gone.pid())).isInstanceOf(RuntimeCommandException.class)
                .hasMessage("container process is already dead");
    }

    @Test
    @Timeout(10)
    void release_whenTheWriterClosesWithoutItsByte_isRuncsAlreadyRunningAnswer() throws Exception {
        Path f = fifo("c3");
        CompletableFuture.runAsync(() -> {
            try (OutputStream o = Files.newOutputStream(f)) {
                // closes with nothing written
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> ExecFifo.release(f, self())).isInstanceOf(RuntimeCommandException.class)
                .hasMessage("cannot start an already running container");
    }

    @Test
    void aliveness_isFalseForAMissingPid_andTrueForThisProcess() {
        assertThat(ExecFifo.alive(self())).isTrue();
        assertThat(ExecFifo.alive(0)).isFalse();
        assertThat(ExecFifo.alive(Integer.MAX_VALUE)).isFalse();
    }
}
