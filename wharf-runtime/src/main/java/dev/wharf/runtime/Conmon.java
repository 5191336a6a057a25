package dev.wharf.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.runtime.sys.Spawn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts conmon, which runs {@code runc create} and then stays as the container's monitor. conmon
 * takes its sync pipe at fd 3 ({@code _OCI_SYNCPIPE}), started with {@link Spawn}; it writes
 * {@code {"data": pid}} there after {@code runc create} (or {@code {"data": -1, "message": …}}),
 * and keeps the pipe until it exits; only the first message is read here. All arguments are built
 * in {@link #args(Launch)} (podman's {@code sharedConmonArgs}).
 */
final class Conmon {

    private static final Logger LOG = LoggerFactory.getLogger(Conmon.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
    private static final long CREATE_TIMEOUT_SECONDS = 120;
    private static final int SYNC_FD = 3;
    private static final String STDERR = "conmon.stderr";

    private final RuntimeConfig cfg;

    Conmon(RuntimeConfig cfg) {
        this.cfg = cfg;
    }

    List<String> args(Launch l) {
        List<String> a = new ArrayList<>(List.of(
                "--api-version", "1",
                "-c", l.id().value(),
                "-u", l.id().value(),
                "-r", cfg.runc().toString(),
                "-b", l.bundle().toString(),
                "-p", l.bundle().resolve("pidfile").toString(),
                "-n", l.name(),
                "--exit-dir", l.exitDir().toString(),
                "--socket-dir-path", l.socketDir().toString(),
                // the attach socket in the bundle, its path whole: without this conmon links
                // socketDir/<id> to the bundle and cuts <id> short when the path is long
                "--full-attach",
                "-l", l.logNone() ? "none" : "k8s-file:" + l.logPath(),
                "--log-level", "error",
                "--conmon-pidfile", l.conmonPidFile().toString(),
                "--runtime-arg", "--root=" + cfg.runcRoot()));
        if (!l.logNone() && l.logSizeMax() > 0) {
            a.add("--log-size-max");
            a.add(Long.toString(l.logSizeMax()));
        }
        if (l.tty()) {
            a.add("-t");
        }
        if (l.stdin()) {
            a.add("-i");
            if (l.leaveStdinOpen()) {
                a.add("--leave-stdin-open");
            }
        }
        return a;
    }

    /** Runs conmon and waits for {@code runc create}; returns the container's init pid. */
    int create(Launch l) {
        // conmon writes its "oom" marker into its working directory: the bundle, where the engine looks
        Spawn.Child p = spawn(cfg, args(l), l.bundle(), Map.of("_OCI_SYNCPIPE", SYNC_FD),
                List.of(new Spawn.Pipe(SYNC_FD, Spawn.Direction.CHILD_WRITES)));
        InputStream out = p.input(SYNC_FD);
        FutureTask<JsonNode> first = new FutureTask<>(() -> readFirstMessage(out));
        Thread.ofVirtual().name("conmon-sync-" + l.id()).start(first);
        try {
            JsonNode msg = first.get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (msg == null) {
                int code = p.onExit().get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String text = stderrText(l.bundle());
                throw new RuntimeStartException("conmon failed (exit " + code + ")"
                        + (text.isEmpty() ? "" : ": " + text));
            }
            int pid = msg.path("data").asInt(-1);
            if (pid <= 0) {
                String m = Runc.message(msg.path("message").asText(""));
                throw new RuntimeStartException(m.isEmpty() ? "runc create failed" : m);
            }
            Files.deleteIfExists(l.bundle().resolve(STDERR));
            return pid;
        } catch (TimeoutException e) {
            p.kill();
            throw new RuntimeStartException("timed out waiting for conmon to create container " + l.id());
        } catch (ExecutionException e) {
            throw new RuntimeStartException("reading conmon's sync pipe: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeStartException("interrupted while creating container " + l.id());
        } catch (IOException e) {
            throw new RuntimeStartException("conmon failed: " + e.getMessage(), e);
        } finally {
            p.close(); // wakes the reader if it still waits
        }
    }

    /**
     * What conmon, and the runc it runs, get of the daemon's environment; the rest would reach
     * every container's conmon and runc for nothing.
     */
    static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "TMPDIR", "TZ", "XDG_RUNTIME_DIR");
    /**
     * conmon's locale, whatever the daemon's: with a UTF-8 one, glib converts nothing. In the C
     * locale, or one of another charset, each conmon runs through glibc's conversion code and
     * holds about 0.4 MiB more of it in memory, per container.
     */
    static final String LOCALE = "C.UTF-8";

    /**
     * Starts conmon with {@code args} in {@code bundle}: the part of the daemon's environment that
     * {@link #INHERITED_ENV} names, {@code LANG} set to {@link #LOCALE}, and the {@code _OCI_*}
     * variables that name its pipes' fds; stderr to the bundle's {@value #STDERR}.
     */
    static Spawn.Child spawn(RuntimeConfig cfg, List<String> args, Path bundle, Map<String, Integer> pipeEnv,
            List<Spawn.Pipe> pipes) {
        List<String> cmd = new ArrayList<>(List.of(cfg.conmon().toString()));
        cmd.addAll(args);
        LOG.debug("{}", cmd);
        Map<String, String> env = new HashMap<>();
        for (String name : INHERITED_ENV) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("LANG", LOCALE);
        pipeEnv.forEach((k, fd) -> env.put(k, String.valueOf(fd)));
        try {
            return Spawn.start(cmd, env, bundle, bundle.resolve(STDERR), pipes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cfg.conmon(), e);
        }
    }

    /** What conmon wrote on its stderr ({@link #spawn}), stripped; empty when nothing or unreadable. */
    static String stderrText(Path bundle) {
        try {
            return Files.readString(bundle.resolve(STDERR), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static JsonNode readFirstMessage(InputStream in) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return JSON.readTree(parser);
        }
    }
}
