package dev.wharf.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts conmon, which runs {@code runc create} and then stays as the container's monitor. conmon
 * moves fds 0-2 to /dev/null, so the sync pipe is fd 3, made by a shell ({@code 3>&1}) from the
 * stdout pipe Java gives it. conmon writes {@code {"data": pid}} there after {@code runc create}
 * (or {@code {"data": -1, "message": …}}), and keeps the pipe until it exits; only the first
 * message is read here. All arguments are built in {@link #args(Launch)} (podman's
 * {@code sharedConmonArgs}).
 */
final class Conmon {

    private static final Logger LOG = LoggerFactory.getLogger(Conmon.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
    private static final long CREATE_TIMEOUT_SECONDS = 120;
    /**
     * Runs conmon with the stdout pipe as fd 3, then closes its own copy and waits for stdin to
     * close. The wait matters: once the launched process exits, the JDK drains and closes its
     * stdout pipe, which would lose a sync message the daemonized conmon writes a moment later.
     */
    private static final String LAUNCHER =
            "\"$@\" 3>&1 >/dev/null </dev/null; rc=$?; exec 1>&-; read -r _; exit $rc";

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
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCHER, "sh", cfg.conmon().toString()));
        cmd.addAll(args(l));
        LOG.debug("{}", cmd);
        // conmon writes its "oom" marker into its working directory: the bundle, where the engine looks
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(l.bundle().toFile());
        pb.environment().put("_OCI_SYNCPIPE", "3");
        java.lang.Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cfg.conmon(), e);
        }
        InputStream out = p.getInputStream();
        InputStream err = p.getErrorStream();
        FutureTask<JsonNode> first = new FutureTask<>(() -> readFirstMessage(out));
        Thread.ofVirtual().name("conmon-sync-" + l.id()).start(first);
        try {
            JsonNode msg = first.get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            closeQuietly(p.getOutputStream()); // lets the launcher exit
            if (msg == null) {
                String text = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
                p.waitFor();
                throw new RuntimeStartException("conmon failed (exit " + p.exitValue() + ")"
                        + (text.isEmpty() ? "" : ": " + text));
            }
            int pid = msg.path("data").asInt(-1);
            if (pid <= 0) {
                String m = Runc.message(msg.path("message").asText(""));
                throw new RuntimeStartException(m.isEmpty() ? "runc create failed" : m);
            }
            return pid;
        } catch (TimeoutException e) {
            p.destroyForcibly();
            closeQuietly(out); // wakes the reader
            throw new RuntimeStartException("timed out waiting for conmon to create container " + l.id());
        } catch (ExecutionException e) {
            throw new RuntimeStartException("reading conmon's sync pipe: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeStartException("interrupted while creating container " + l.id());
        } catch (IOException e) {
            throw new RuntimeStartException("conmon failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(out);
            closeQuietly(err);
            closeQuietly(p.getOutputStream());
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

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
