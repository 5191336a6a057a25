package dev.wharf.runtime;

import dev.wharf.base.id.ContainerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ContainerRuntime} for unit tests: no processes. A container "runs" from
 * {@link #start} until it is signalled or told to {@link #exit}; then this fake writes its exit
 * file as conmon would, so the engine's exit watcher reports it. Tests script failures
 * ({@link #failCreate}), signals the process ignores ({@link #ignoreSignal}), a monitor that dies
 * ({@link #killMonitor}) and output ({@link #output}), and read back what was called
 * ({@link #calls()}).
 */
public final class FakeContainerRuntime implements ContainerRuntime {

    /** One call as the engine made it, e.g. {@code kill <id> 15}; the id is the container's 64-hex string. */
    public record Call(String verb, String id, String arg) {
    }

    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final Map<String, Integer> monitors = new ConcurrentHashMap<>();
    private final Set<Integer> liveMonitors = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Integer>> ignored = new ConcurrentHashMap<>();
    private final Map<String, Integer> pendingSignals = new ConcurrentHashMap<>();
    private final Map<String, List<FakeAttachSocket>> attached = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger pids = new AtomicInteger(1000);
    private volatile String createFailure;
    private volatile Integer exitOnStart;
    private volatile int execExitCode;
    private final List<AttachSocket.Frame> execOutput = new CopyOnWriteArrayList<>();
    private volatile String execFailure;
    private final List<String> execProcesses = new CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.CompletableFuture<Void> execGate =
            java.util.concurrent.CompletableFuture.completedFuture(null);

    // ---- scripting ----

    /** The next creates fail with this runtime message (null: they succeed again). */
    public void failCreate(String runtimeMessage) {
        this.createFailure = runtimeMessage;
    }

    /** Containers started from now on exit at once with {@code code} (null: they run). */
    public void exitOnStart(Integer code) {
        this.exitOnStart = code;
    }

    /** The container's process ignores {@code signal} (as a shell ignores SIGTERM). */
    public void ignoreSignal(String id, int signal) {
        ignored.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(signal);
    }

    /** Execs exit with this code. */
    public void execExitCode(int code) {
        this.execExitCode = code;
    }

    /** Execs write {@code data} on {@code stream} (1 stdout, 2 stderr) to an attached client, then end. */
    public void execOutput(int stream, String data) {
        execOutput.add(new AttachSocket.Frame(stream, data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Execs started from now on keep running until {@link #releaseExecs}. */
    public void holdExecs() {
        execGate = new java.util.concurrent.CompletableFuture<>();
    }

    /** The held execs exit (with {@link #execExitCode}'s code). */
    public void releaseExecs() {
        execGate.complete(null);
    }

    /** Execs fail to start with this runtime message, as runc does for a missing binary (null: they start). */
    public void failExec(String runtimeMessage) {
        this.execFailure = runtimeMessage;
    }

    /** The container's process exits with {@code code}: the monitor writes the exit file. */
    public void exit(String id, int code) {
        Launch l = launches.get(id);
        if (l == null || !"running".equals(states.get(id)) && !"paused".equals(states.get(id))) {
            return;
        }
        states.put(id, "stopped");
        for (FakeAttachSocket s : attached.getOrDefault(id, List.of())) {
            s.close();
        }
        writeExitFile(l, code);
    }

    /** The container's monitor dies without writing an exit file (a kill -9 of conmon). */
    public void killMonitor(String id) {
        Integer pid = monitors.get(id);
        if (pid != null) {
            liveMonitors.remove(pid);
        }
        states.put(id, "stopped");
    }

    /** Writes {@code data} to the container's output on {@code stream} (1 stdout, 2 stderr). */
    public void output(String id, int stream, String data) {
        for (FakeAttachSocket s : attached.getOrDefault(id, List.of())) {
            s.frames.add(new AttachSocket.Frame(stream, data.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The {@code process.json} of each exec launched, as the engine wrote it, in order. */
    public List<String> execProcesses() {
        return List.copyOf(execProcesses);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The runtime's status of the container: created, running, paused or stopped; null when unknown. */
    public String status(String id) {
        return states.get(id);
    }

    /** Whether the runtime knows the container (not deleted). */
    public boolean knows(String id) {
        return states.containsKey(id);
    }

    // ---- the runtime ----

    @Override
    public int create(Launch l) {
        String id = l.id().value();
        calls.add(new Call("create", id, null));
        String fail = createFailure;
        if (fail != null) {
            throw new RuntimeStartException(fail);
        }
        try {
            Files.createDirectories(l.exitDir());
            Files.createDirectories(l.bundle());
            int monitor = pids.incrementAndGet();
            Files.writeString(l.conmonPidFile(), String.valueOf(monitor));
            monitors.put(id, monitor);
            liveMonitors.add(monitor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launches.put(id, l);
        states.put(id, "created");
        return pids.incrementAndGet();
    }

    @Override
    public void start(ContainerId cid) {
        String id = cid.value();
        calls.add(new Call("start", id, null));
        states.put(id, "running");
        Integer code = exitOnStart;
        if (code != null) {
            exit(id, code);
        }
    }

    @Override
    public void kill(ContainerId cid, int signal, boolean all) {
        String id = cid.value();
        calls.add(new Call("kill", id, String.valueOf(signal)));
        if (!states.containsKey(id)) {
            throw new RuntimeCommandException("container does not exist", 1);
        }
        if (signal == 0 || signal != 9 && ignored.getOrDefault(id, Set.of()).contains(signal)) {
            return;
        }
        if ("paused".equals(states.get(id))) {
            pendingSignals.put(id, signal); // a frozen process handles it once thawed
            return;
        }
        exit(id, 128 + signal);
    }

    @Override
    public void delete(ContainerId id, boolean force) {
        calls.add(new Call("delete", id.value(), null));
        states.remove(id.value());
    }

    @Override
    public Optional<RuncState> state(ContainerId id) {
        String s = states.get(id.value());
        return s == null ? Optional.empty() : Optional.of(new RuncState(id.value(), s, 0, null));
    }

    @Override
    public void pause(ContainerId id) {
        calls.add(new Call("pause", id.value(), null));
        states.put(id.value(), "paused");
    }

    @Override
    public void resume(ContainerId cid) {
        String id = cid.value();
        calls.add(new Call("resume", id, null));
        states.put(id, "running");
        Integer pending = pendingSignals.remove(id);
        if (pending != null) {
            exit(id, 128 + pending);
        }
    }

    @Override
    public String ps(ContainerId id, List<String> psArgs) {
        calls.add(new Call("ps", id.value(), String.join(" ", psArgs)));
        return "UID PID PPID C STIME TTY TIME CMD\nroot 4242 4200 0 10:00 ? 00:00:00 sleep 100\n";
    }

    @Override
    public void update(ContainerId id, Path resourcesJson) {
        try {
            calls.add(new Call("update", id.value(), Files.readString(resourcesJson)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void resize(Path bundle, int height, int width) {
        calls.add(new Call("resize", bundle.getFileName().toString(), height + "x" + width));
    }

    @Override
    public AttachSocket attach(Path bundle) throws IOException {
        String id = bundle.getFileName().toString();
        calls.add(new Call("attach", id, null));
        FakeAttachSocket s = new FakeAttachSocket();
        attached.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(s);
        if (!"running".equals(states.get(id)) && !"created".equals(states.get(id))) {
            s.close();
        }
        return s;
    }

    @Override
    public ExecHandle exec(ExecLaunch l) {
        calls.add(new Call("exec", l.containerId().value(), l.execId()));
        try {
            execProcesses.add(Files.readString(l.processSpec()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int code = execExitCode;
        int pid = pids.incrementAndGet();
        java.util.concurrent.CompletableFuture<Void> gate = execGate;
        return new ExecHandle() {
            @Override
            public AttachSocket attach() {
                calls.add(new Call("attach", l.execId(), null));
                FakeAttachSocket s = new FakeAttachSocket(); // its scripted output, then the end
                s.frames.addAll(execOutput);
                s.close();
                return s;
            }

            @Override
            public int start() {
                String fail = execFailure;
                if (fail != null) {
                    throw new RuntimeStartException(fail);
                }
                return pid;
            }

            @Override
            public int awaitExit() {
                gate.join();
                return code;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Optional<Integer> conmonPid(Path conmonPidFile) {
        return OciRuntime.readPidFile(conmonPidFile);
    }

    @Override
    public boolean conmonAlive(int pid) {
        return liveMonitors.contains(pid);
    }

    private static void writeExitFile(Launch l, int code) {
        try {
            Path tmp = l.exitDir().resolve("." + l.id().value() + ".tmp");
            Files.writeString(tmp, String.valueOf(code));
            Files.move(tmp, l.exitDir().resolve(l.id().value()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client side of an attach: frames the test writes with {@link #output}, stdin kept for reading back. */
    static final class FakeAttachSocket implements AttachSocket {
        private static final AttachSocket.Frame EOF = new AttachSocket.Frame(-1, new byte[0]);
        final BlockingQueue<AttachSocket.Frame> frames = new LinkedBlockingQueue<>();
        final List<byte[]> stdin = new ArrayList<>();
        private volatile boolean closed;

        @Override
        public AttachSocket.Frame read() throws IOException {
            try {
                AttachSocket.Frame f = frames.take();
                return f == EOF ? null : f;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public synchronized void writeStdin(byte[] data, int off, int len) {
            stdin.add(java.util.Arrays.copyOfRange(data, off, off + len));
        }

        @Override
        public void closeStdin() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                frames.add(EOF);
            }
        }
    }
}
