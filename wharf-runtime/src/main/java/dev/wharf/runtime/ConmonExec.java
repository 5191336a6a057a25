package dev.wharf.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process run in a running container by conmon's exec mode ({@code conmon --exec --exec-attach},
 * as podman's {@code oci_conmon_exec_common.go} does). conmon takes three pipes: it reads the start
 * pipe ({@code _OCI_STARTPIPE}) once before it forks and once more before it runs
 * {@code runc exec}, writes {@code {"data":0}} on the attach pipe once its attach socket exists,
 * and writes the pid, then the exit code, on the sync pipe. Here the sync and attach pipes are
 * one pipe (the launcher's stdout) and the start pipe is its stdin; the launcher then stays as a
 * {@code sleep} holding neither pipe, because the JDK closes a child's pipes once it exits.
 *
 * <p>Use: {@link #launch}, {@link #awaitAttachReady()}, {@link #attach()}, {@link #start()}
 * (returns the pid), read the output, {@link #awaitExit()}, {@link #close()}.
 */
public final class ConmonExec implements ExecHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ConmonExec.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
    private static final String LAUNCHER = "\"$@\" 3>&1 5>&1 4<&0 >/dev/null </dev/null; rc=$?; "
            + "[ $rc = 0 ] || exit $rc; exec sleep 2147483647 </dev/null >/dev/null 2>&1";

    private final java.lang.Process launcher;
    private final OutputStream startPipe;
    private final String execId;
    private final Path bundle;
    private JsonParser sync;

    private ConmonExec(java.lang.Process launcher, String execId, Path bundle) {
        this.launcher = launcher;
        this.execId = execId;
        this.bundle = bundle;
        this.startPipe = launcher.getOutputStream();
    }

    static List<String> args(RuntimeConfig cfg, ExecLaunch l) {
        List<String> a = new ArrayList<>(List.of(
                "--api-version", "1",
                "-c", l.containerId().value(),
                "-u", l.execId(),
                "-r", cfg.runc().toString(),
                "-b", l.bundle().toString(),
                "-p", l.bundle().resolve("pidfile").toString(),
                "-n", l.name() == null || l.name().isEmpty() ? l.containerId().value() : l.name(),
                "--socket-dir-path", l.socketDir().toString(),
                "--full-attach", // the attach socket in the exec's bundle (see Conmon)
                "-l", "none",
                "--log-level", "error",
                "--runtime-arg", "--root=" + cfg.runcRoot(),
                "-e", "--exec-attach",
                "--exec-process-spec", l.processSpec().toString()));
        if (l.tty()) {
            a.add("-t");
        }
        if (l.stdin()) {
            a.add("-i");
            if (l.tty()) {
                // A client that detaches (ctrl-p ctrl-q) leaves the shell running, as Docker's does;
                // a terminal's end of input reaches it as a ^D through the TTY, not as a close.
                a.add("--leave-stdin-open");
            }
        }
        return a;
    }

    /** Runs conmon; it waits, before forking, for the first start message, sent here. */
    static ConmonExec launch(RuntimeConfig cfg, ExecLaunch l) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCHER, "sh", cfg.conmon().toString()));
        cmd.addAll(args(cfg, l));
        LOG.debug("{}", cmd);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(l.bundle().toFile());
        pb.environment().put("_OCI_SYNCPIPE", "3");
        pb.environment().put("_OCI_STARTPIPE", "4");
        pb.environment().put("_OCI_ATTACHPIPE", "5");
        try {
            ConmonExec e = new ConmonExec(pb.start(), l.execId(), l.bundle());
            e.signalStart();
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cfg.conmon(), e);
        }
    }

    private void signalStart() throws IOException {
        startPipe.write('0');
        startPipe.flush();
    }

    /** Blocks until conmon has made the attach socket. */
    public void awaitAttachReady() {
        JsonNode m = next();
        if (m == null) {
            throw new RuntimeStartException("conmon failed" + stderrText());
        }
        int data = m.path("data").asInt(-1);
        if (data < 0) {
            throw new RuntimeStartException(Runc.message(m.path("message").asText("conmon failed")));
        }
    }

    /** Connects to conmon's attach socket for this exec, in its bundle ({@code --full-attach}). */
    @Override
    public AttachSocket attach() throws IOException {
        return ConmonAttachSocket.connect(bundle);
    }

    /**
     * Lets conmon run {@code runc exec}; returns the process's pid.
     *
     * @throws RuntimeStartException with runc's message when the process cannot be started
     */
    @Override
    public int start() {
        try {
            signalStart();
        } catch (IOException e) {
            throw new RuntimeStartException("conmon went away before the exec started: " + e.getMessage(), e);
        }
        JsonNode m = next();
        if (m == null) {
            throw new RuntimeStartException("conmon exited before the exec started" + stderrText());
        }
        int pid = m.path("data").asInt(-1);
        if (pid <= 0) {
            String msg = Runc.message(m.path("message").asText(""));
            throw new RuntimeStartException(msg.isEmpty() ? "runc exec failed" : msg);
        }
        return pid;
    }

    /** Blocks until the process exits; its exit code (128+n for a signal), or -1 if conmon vanished. */
    @Override
    public int awaitExit() {
        JsonNode m = next();
        return m == null ? -1 : m.path("data").asInt(-1);
    }

    private JsonNode next() {
        try {
            if (sync == null) {
                // a Reader: Jackson's byte-source bootstrap would block reading ahead to detect the encoding
                sync = JSON.createParser(new java.io.InputStreamReader(launcher.getInputStream(),
                        StandardCharsets.UTF_8));
            }
            if (sync.nextToken() == null) {
                return null;
            }
            return JSON.readTree(sync);
        } catch (IOException e) {
            LOG.debug("exec {}: sync pipe: {}", execId, e.toString());
            return null;
        }
    }

    private String stderrText() {
        try {
            if (!launcher.isAlive()) {
                String t = new String(launcher.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return t.isEmpty() ? "" : ": " + t;
            }
        } catch (IOException ignored) {
            // no text then
        }
        return "";
    }

    @Override
    public void close() {
        launcher.destroy();
        for (AutoCloseable c : new AutoCloseable[] {sync, startPipe, launcher.getInputStream(),
            launcher.getErrorStream()}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
