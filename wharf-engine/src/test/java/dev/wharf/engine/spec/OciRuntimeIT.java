package dev.wharf.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.runtime.AttachSocket;
import dev.wharf.runtime.ExitWatcher;
import dev.wharf.runtime.Launch;
import dev.wharf.runtime.LogReader;
import dev.wharf.runtime.RuntimeCommandException;
import dev.wharf.runtime.RuntimeStartException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OciRuntimeIT {

    RuntimeFixture fx;
    ExitWatcher watcher;
    final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuntimeFixture();
        watcher = new ExitWatcher(fx.exits, (file, code) -> exitOfFile(file).complete(code));
        watcher.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    /** The exit of the container whose exit file is {@code file} (its container ID). */
    CompletableFuture<Integer> exitOfFile(String file) {
        return exits.computeIfAbsent(file, k -> new CompletableFuture<>());
    }

    CompletableFuture<Integer> exitOf(String name) {
        return exitOfFile(fx.id(name).value());
    }

    int awaitExit(String name) throws Exception {
        return exitOf(name).get(20, TimeUnit.SECONDS);
    }

    @Test
    void run_outputReachesLog() throws Exception {
        Launch l = fx.prepare("hello", List.of("sh", "-c", "echo hello; echo oops >&2"));
        int pid = fx.runtime.create(l);
        assertThat(pid).isPositive();
        assertThat(fx.runtime.state(fx.id("hello"))).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo("created");
            assertThat(s.pid()).isEqualTo(pid);
        });
        fx.runtime.start(fx.id("hello"));
        assertThat(awaitExit("hello")).isZero();
        List<LogReader.Line> lines = fx.logLines(l);
        assertThat(lines).anySatisfy(x -> {
            assertThat(x.text()).isEqualTo("hello");
            assertThat(x.stream()).isEqualTo("stdout");
            assertThat(x.partial()).isFalse();
        });
        assertThat(lines).anySatisfy(x -> {
            assertThat(x.text()).isEqualTo("oops");
            assertThat(x.stream()).isEqualTo("stderr");
        });
        assertThat(fx.runtime.state(fx.id("hello")))
                .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("stopped"));
        fx.runtime.delete(fx.id("hello"), false);
        assertThat(fx.runtime.state(fx.id("hello"))).isEmpty();
        fx.runtime.delete(fx.id("hello"), true); // idempotent
    }

    @Test
    void exitCode_fromExitFileAndWatcher() throws Exception {
        Launch l = fx.prepare("exit42", List.of("sh", "-c", "exit 42"));
        fx.runtime.create(l);
        fx.runtime.start(fx.id("exit42"));
        assertThat(awaitExit("exit42")).isEqualTo(42);
        assertThat(ExitWatcher.readExitCode(fx.exits.resolve(fx.id("exit42").value()))).isEqualTo(42);
    }

    @Test
    void kill_sigkillGives137() throws Exception {
        Launch l = fx.prepare("killed", List.of("sleep", "100"));
        fx.runtime.create(l);
        fx.runtime.start(fx.id("killed"));
        assertThat(fx.runtime.state(fx.id("killed"))).hasValueSatisfying(s -> assertThat(s.running()).isTrue());
        int conmon = fx.runtime.conmonPid(l.conmonPidFile()).orElseThrow();
        assertThat(fx.runtime.conmonAlive(conmon)).isTrue();
        fx.runtime.kill(fx.id("killed"), 9, false);
        assertThat(awaitExit("killed")).isEqualTo(137);
        assertThatThrownBy(() -> fx.runtime.kill(fx.id("killed"), 15, false))
                .isInstanceOfSatisfying(RuntimeCommandException.class, e -> assertThat(e.notRunning()).isTrue());
    }

    @Test
    void create_missingExecutable_throwsWithRuncMessage() throws Exception {
        Launch l = fx.prepare("nosuch", List.of("nosuch"));
        assertThatThrownBy(() -> fx.runtime.create(l))
                .isInstanceOf(RuntimeStartException.class)
                .hasMessageContaining("executable file not found")
                .hasMessageContaining("\"nosuch\"");
    }

    @Test
    void attach_receivesStdoutAndStderrFrames() throws Exception {
        Launch l = fx.prepare("attach", List.of("sh", "-c", "echo out; sleep 0.1; echo err >&2"));
        fx.runtime.create(l);
        try (AttachSocket a = fx.runtime.attach(l.bundle())) {
            fx.runtime.start(fx.id("attach"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            for (AttachSocket.Frame f; (f = a.read()) != null; ) {
                (f.stream() == 1 ? out : err).write(f.data());
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
        }
        assertThat(awaitExit("attach")).isZero();
    }

    @Test
    void attach_stdinReachesCatAndCloseEndsIt() throws Exception {
        Launch l = fx.prepare("cat", List.of("cat"), false, true, UnaryOperator.identity());
        fx.runtime.create(l);
        try (AttachSocket a = fx.runtime.attach(l.bundle())) {
            fx.runtime.start(fx.id("cat"));
            byte[] msg = "ping\n".getBytes(StandardCharsets.UTF_8);
            a.writeStdin(msg, 0, msg.length);
            AttachSocket.Frame f = a.read();
            assertThat(f.stream()).isEqualTo(1);
            assertThat(new String(f.data(), StandardCharsets.UTF_8)).isEqualTo("ping\n");
            byte[] big = "y".repeat(50_000).getBytes(StandardCharsets.UTF_8);
            a.writeStdin(big, 0, big.length);
            a.closeStdin();
            int total = 0;
            for (AttachSocket.Frame g; (g = a.read()) != null; ) {
                total += g.data().length;
            }
            assertThat(total).isEqualTo(big.length);
        }
        assertThat(awaitExit("cat")).isZero();
    }

    @Test
    void tty_resizeIsSeenInside() throws Exception {
        // conmon applies a resize when it reads its control FIFO, which may be after the process
        // started: the process waits until it sees the size (bounded), rather than racing it
        Launch l = fx.prepare("tty", List.of("sh", "-c",
                "i=0; while [ \"$(stty size)\" != '40 100' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; stty size"),
                true, false, UnaryOperator.identity());
        fx.runtime.create(l);
        fx.runtime.resize(l.bundle(), 40, 100);
        fx.runtime.start(fx.id("tty"));
        int rcTty = awaitExit("tty");
        assertThat(rcTty).isZero();
        assertThat(fx.logLines(l)).extracting(LogReader.Line::text).anySatisfy(t -> assertThat(t).startsWith("40 100"));
    }

    @Test
    void confinement_defaultCapsAndMaskedPaths() throws Exception {
        Launch l = fx.prepare("caps", List.of("sh", "-c",
                "grep CapBnd /proc/self/status; echo kcore=$(cat /proc/kcore | wc -c); hostname; cat /proc/1/environ | tr '\\0' '\\n'"));
        fx.runtime.create(l);
        fx.runtime.start(fx.id("caps"));
        assertThat(awaitExit("caps")).isZero();
        List<String> out = fx.logLines(l).stream().map(LogReader.Line::text).toList();
        assertThat(out).anySatisfy(t -> assertThat(t).matches("CapBnd:\\s+00000000a80425fb"));
        assertThat(out).contains("kcore=0", "caps", "HOSTNAME=caps");
        assertThat(out).anySatisfy(t -> assertThat(t).startsWith("PATH=/usr/local/sbin"));
    }

    @Test
    void delete_unknownContainer_isNoError() {
        fx.runtime.delete(fx.id("never-existed"), true);
        fx.runtime.delete(fx.id("never-existed"), false);
        assertThat(fx.runtime.state(fx.id("never-existed"))).isEmpty();
        assertThat(fx.runtime.conmonPid(fx.base.resolve("nope.pid"))).isEmpty();
    }

    @Test
    void latency_createStartExitOfTrue() throws Exception {
        int runs = 10;
        long[] total = new long[runs];
        long[] createMs = new long[runs];
        for (int i = 0; i < runs; i++) {
            String id = "lat" + i;
            Launch l = fx.prepare(id, List.of("true"));
            CompletableFuture<Integer> exit = exitOf(id);
            long t0 = System.nanoTime();
            fx.runtime.create(l);
            long t1 = System.nanoTime();
            fx.runtime.start(fx.id(id));
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            long t2 = System.nanoTime();
            total[i] = (t2 - t0) / 1_000;
            createMs[i] = (t1 - t0) / 1_000;
            fx.runtime.delete(fx.id(id), false);
        }
        java.util.Arrays.sort(total);
        java.util.Arrays.sort(createMs);
        System.out.printf("LATENCY create+start+exit of true: median %.1f ms (min %.1f, max %.1f); create median %.1f ms%n",
                total[runs / 2] / 1000.0, total[0] / 1000.0, total[runs - 1] / 1000.0, createMs[runs / 2] / 1000.0);
    }
}
