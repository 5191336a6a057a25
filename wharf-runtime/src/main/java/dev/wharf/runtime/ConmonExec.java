package dev.wharf.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.runtime.sys.Spawn;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process run in a running container by conmon's exec mode ({@code conmon --exec --exec-attach},
 * as podman's {@code oci_conmon_exec_common.go} does). conmon takes three pipes: it reads the start
 * pipe ({@code _OCI_STARTPIPE}, fd 4) once before it forks and once more before it runs
 * {@code runc exec}, writes {@code {"data":0}} on the attach pipe once its attach socket exists,
 * and writes the pid, then the exit code, on the sync pipe. Here the sync and attach pipes are
 * one pipe (fds 3 and 5), started with {@link Spawn}.
 *
 * <p>Use: {@link #launch}, {@link #awaitAttachReady()}, {@link #attach()}, {@link #start()}
 * (returns the pid), read the output, {@link #awaitExit()}, {@link #close()}.
 */
public final class ConmonExec implements ExecHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ConmonExec.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
    private static final int SYNC_FD = 3;
    private static final int START_FD = 4;
    private static final int ATTACH_FD = 5;

    private final Spawn.Child conmon;
    private final OutputStream startPipe;
    private final String execId;
    private final Path bundle;
    private JsonParser sync;

    private ConmonExec(Spawn.Child conmon, String execId, Path bundle) {
        this.conmon = conmon;
        this.execId = execId;
        this.bundle = bundle;
        this.startPipe = conmon.output(START_FD);
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
        Spawn.Child child = Conmon.spawn(cfg, args(cfg, l), l.bundle(),
                Map.of("_OCI_SYNCPIPE", SYNC_FD, "_OCI_STARTPIPE", START_FD, "_OCI_ATTACHPIPE", ATTACH_FD),
                List.of(new Spawn.Pipe(SYNC_FD, Spawn.Direction.CHILD_WRITES, ATTACH_FD),
                        new Spawn.Pipe(START_FD, Spawn.Direction.CHILD_READS)));
        ConmonExec e = new ConmonExec(child, l.execId(), l.bundle());
        try {
            e.signalStart();
        } catch (IOException ex) {
            e.close();
            throw new RuntimeStartException("conmon went away before it started: " + ex.getMessage(), ex);
        }
        return e;
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
                sync = JSON.createParser(new java.io.InputStreamReader(conmon.input(SYNC_FD),
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

    /** conmon's error output, once its first process has exited (it writes it before that). */
    private String stderrText() {
        try {
            conmon.onExit().get(5, TimeUnit.SECONDS);
            String t = Conmon.stderrText(bundle);
            return t.isEmpty() ? "" : ": " + t;
        } catch (ExecutionException | TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        if (sync != null) {
            try {
                sync.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        conmon.close(); // the pipes' ends: a conmon still waiting on its start pipe reads its end and exits
    }
}
