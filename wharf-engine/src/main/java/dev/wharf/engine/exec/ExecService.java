package dev.wharf.engine.exec;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.base.id.HexId;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.container.DetachKeys;
import dev.wharf.engine.container.StreamFrames;
import dev.wharf.engine.container.ExecTarget;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecCreateResponse;
import dev.wharf.model.exec.ExecInspect;
import dev.wharf.oci.runtime.Spec;
import dev.wharf.runtime.AttachSocket;
import dev.wharf.runtime.ExecHandle;
import dev.wharf.runtime.ExecLaunch;
import dev.wharf.runtime.ContainerRuntime;
import dev.wharf.runtime.RuntimeStartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Exec instances: create, start (attached or detached), resize, inspect. Each start runs conmon in
 * exec mode; the exit code is recorded before an attached stream is closed, so a client that
 * inspects the exec right after the stream ends sees it.
 */
public final class ExecService {

    private static final System.Logger LOG = System.getLogger("wharf.exec");
    private static final long KEEP_FINISHED_NANOS = TimeUnit.MINUTES.toNanos(10);
    /**
     * The exit code of an exec whose process could not be started, missing or not runnable alike:
     * moby records 126 for any failed exec start (a container's own command gets 127 when missing).
     */
    static final int START_FAILED = 126;

    private final ContainerService containers;
    private final EventService events;
    private final ContainerRuntime runtime;
    private final Path execDir;
    private final Map<String, ExecSession> sessions = new ConcurrentHashMap<>();

    public ExecService(ContainerService containers, EventService events, ContainerRuntime runtime, Path execRoot)
            throws IOException {
        this.containers = containers;
        this.events = events;
        this.runtime = runtime;
        this.execDir = execRoot.resolve("execs");
        AtomicFiles.deleteTree(execDir); // sessions do not outlive the daemon
        Files.createDirectories(execDir);
    }

    public ExecCreateResponse create(String container, ExecCreateRequest r) {
        if (r == null || r.cmd() == null || r.cmd().isEmpty()) {
            throw new InvalidArgumentException("No exec command specified");
        }
        ExecTarget t = containers.execTarget(container);
        checkRunning(t);
        DetachKeys.parse(r.detachKeys()); // a bad sequence is a 400 now, not at start
        forgetOld();
        String id = HexId.random();
        sessions.put(id, new ExecSession(id, t.id(), r, execDir.resolve(id)));
        publish(t, "exec_create: " + String.join(" ", r.cmd()), Map.of("execID", id));
        return new ExecCreateResponse(id);
    }

    private static void checkRunning(ExecTarget t) {
        if (!t.running()) {
            throw new ConflictException("Container " + t.id() + " is not running");
        }
        if (t.paused()) {
            throw new ConflictException("Container " + t.id() + " is paused, unpause the container before exec");
        }
    }

    private void forgetOld() {
        long now = System.nanoTime();
        sessions.values().removeIf(s -> s.exitCode != null && now - s.createdNanos > KEEP_FINISHED_NANOS);
    }

    private ExecSession find(String id) {
        ExecSession s = id == null ? null : sessions.get(id);
        if (s == null) {
            throw new NotFoundException("No such exec instance: " + id);
        }
        return s;
    }

    public ExecInspect inspect(String id) {
        ExecSession s = find(id);
        ExecCreateRequest r = s.req;
        return new ExecInspect(s.id, s.running, s.exitCode,
                new ExecInspect.ProcessConfig(r.tty(), r.cmd().getFirst(), r.cmd().subList(1, r.cmd().size()),
                        r.privileged(), r.user() == null ? "" : r.user()),
                r.attachStdin(), r.attachStderr(), r.attachStdout(), !s.running, s.containerId.value(),
                r.detachKeys() == null ? "" : r.detachKeys(), s.pid);
    }

    /** Checks, before the connection is taken over, that the exec can start; returns whether it has a TTY. */
    public boolean checkStart(String id) {
        ExecSession s = find(id);
        if (s.started) {
            throw new ConflictException(s.running ? "Error: Exec command " + id + " is already running"
                    : "Error: Exec command " + id + " has already run");
        }
        checkRunning(containers.execTarget(s.containerId.value()));
        return s.req.tty();
    }

    /**
     * Starts the exec. Detached ({@code out == null}) it returns once the process runs; attached
     * it copies the streams until the process ends and returns after its exit code is recorded.
     * Once attached, errors are written into the stream as Docker does.
     */
    public void start(String id, List<Integer> consoleSize, InputStream in, OutputStream out) throws IOException {
        start(id, consoleSize, in, out, find(id).req.tty());
    }

    /**
     * {@link #start(String, List, InputStream, OutputStream)} with the output framing chosen by the
     * caller: as in Docker, the start request's own {@code Tty} decides whether the stream is raw
     * ({@code rawOutput}) or multiplexed, whatever the exec was created with.
     */
    public void start(String id, List<Integer> consoleSize, InputStream in, OutputStream out, boolean rawOutput)
            throws IOException {
        ExecSession s = find(id);
        ExecTarget t = containers.execTarget(s.containerId.value());
        checkRunning(t);
        if (!s.markStarted()) {
            throw new ConflictException("Error: Exec command " + id + " is already running");
        }
        boolean attached = out != null;
        boolean tty = s.req.tty();
        ExecHandle ce;
        AttachSocket sock = null;
        int pid;
        try {
            ce = launch(s, t, consoleSize, attached);
            try {
                if (attached) {
                    sock = ce.attach();
                }
                pid = ce.start();
            } catch (IOException | RuntimeException e) {
                if (sock != null) {
                    sock.close();
                }
                ce.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof RuntimeStartException r ? r.runtimeMessage() : e.getMessage();
            int code = START_FAILED;
            String text = "OCI runtime exec failed: " + msg + ": unknown";
            finish(s, t, code);
            if (!attached) {
                throw e instanceof RuntimeStartException ? new ConflictException(text) : new InternalException(text, e);
            }
            byte[] b = (text + "\r\n").getBytes(StandardCharsets.UTF_8);
            StreamFrames.write(out, rawOutput, 1, b, b.length);
            out.flush();
            return;
        }
        s.conmon = ce;
        s.pid = pid;
        s.running = true;
        publish(t, "exec_start: " + s.commandLine(), Map.of("execID", s.id));
        if (!attached) {
            Thread.ofVirtual().name("exec-wait-" + s.id.substring(0, 12)).start(() -> awaitExit(s, t, ce));
            return;
        }
        boolean detached = false;
        s.copying = true;
        if (s.clientLeft) {
            kill(s); // the client hung up before its stream began
        }
        try {
            detached = ExecStreams.copy(sock, in, out, tty, rawOutput, s.req.attachStdin(), s.req.attachStdout(),
                    s.req.attachStderr(), DetachKeys.parse(s.req.detachKeys()), () -> kill(s));
        } finally {
            s.copying = false;
            sock.close();
            if (detached) {
                // The client left; the process runs on, and its exit is recorded when it comes.
                Thread.ofVirtual().name("exec-wait-" + s.id.substring(0, 12)).start(() -> awaitExit(s, t, ce));
            } else {
                awaitExit(s, t, ce);
            }
        }
    }

    /**
     * The client of an attached start went away (its connection closed): as Docker, the process
     * is killed rather than left running with no one to read it. A client that detached with the
     * detach keys is not affected; nor is a detached start.
     */
    public void clientLeft(String id) {
        ExecSession s = sessions.get(id);
        if (s == null) {
            return;
        }
        s.clientLeft = true;
        if (s.copying) {
            kill(s);
        }
    }

    private static void kill(ExecSession s) {
        int pid = s.pid;
        if (s.running && pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private ExecHandle launch(ExecSession s, ExecTarget t, List<Integer> consoleSize, boolean attached)
            throws IOException {
        Spec spec = Json.mapper().readValue(t.bundle().resolve("config.json").toFile(), Spec.class);
        ExecCreateRequest r = s.req;
        if (consoleSize != null && consoleSize.size() == 2 && consoleSize.get(0) > 0) {
            r = new ExecCreateRequest(r.user(), r.privileged(), r.tty(), consoleSize, r.attachStdin(),
                    r.attachStdout(), r.attachStderr(), r.detach(), r.detachKeys(), r.env(), r.workingDir(), r.cmd());
        }
        Files.createDirectories(s.bundle);
        Path process = s.bundle.resolve("process.json");
        Files.write(process, Json.mapper().writeValueAsBytes(ExecProcess.build(spec, t, r)));
        return runtime.exec(new ExecLaunch(t.id(), s.id, t.name(), s.bundle, t.socketDir(), process, r.tty(),
                attached && r.attachStdin()));
    }

    private void awaitExit(ExecSession s, ExecTarget t, ExecHandle ce) {
        int code;
        try {
            code = ce.awaitExit();
        } finally {
            ce.close();
        }
        finish(s, t, code);
    }

    private void finish(ExecSession s, ExecTarget t, int code) {
        s.exited(code);
        s.conmon = null;
        try {
            AtomicFiles.deleteTree(s.bundle); // with the attach socket (conmon --full-attach)
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot clean exec " + s.id + ": " + e);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("execID", s.id);
        extra.put("exitCode", String.valueOf(code));
        publish(t, "exec_die", extra);
    }

    public void resize(String id, int height, int width) {
        ExecSession s = find(id);
        if (!s.running || !s.req.tty()) {
            return; // the CLI resizes after short execs have ended; Docker ignores that too
        }
        try {
            runtime.resize(s.bundle, height, width);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "exec resize: " + e.getMessage());
        }
    }

    /** Exec IDs of a container, for its inspect. */
    public List<String> idsOf(ContainerId containerId) {
        return sessions.values().stream().filter(s -> s.containerId.equals(containerId)).map(s -> s.id).toList();
    }

    private void publish(ExecTarget t, String action, Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>(t.eventAttributes());
        attrs.putAll(extra);
        events.publish("container", action, t.id().value(), attrs);
    }
}
