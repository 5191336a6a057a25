package dev.wharf.runtime.sys;

import dev.wharf.base.ffm.Downcalls;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a program with glibc's {@code posix_spawn}, handing it pipes at the fds it expects. Why:
 * ProcessBuilder gives a child fds 0-2 only, so conmon's sync pipe (fd 3) took a {@code /bin/sh}
 * in between, on top of the JDK's own launcher (jspawnhelper): two more execs, ~8 ms and two
 * processes on every container start and exec. The child gets fds 0 and 1 on /dev/null, fd 2 on
 * a file, its pipes, and nothing else of the daemon's ({@code closefrom}, glibc 2.34); its signal
 * mask is emptied and every signal's disposition reset, as an exec from a fresh process would have.
 * The daemon's ends are opened again through {@code /proc/self/fd}, so they are plain JDK streams
 * (whose blocking reads a virtual thread may make). The child is reaped by a platform thread.
 */
public final class Spawn {

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final AddressLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle PIPE2 = Downcalls.libc("pipe2", FunctionDescriptor.of(I, A, I));
    private static final MethodHandle CLOSE = Downcalls.libc("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle FCNTL = Downcalls.libc("fcntl", FunctionDescriptor.of(I, I, I, I),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle WAITPID = Downcalls.libc("waitpid", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle KILL = Downcalls.libc("kill", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle SPAWN = Downcalls.libcNoErrno("posix_spawn",
            FunctionDescriptor.of(I, A, A, A, A, A, A));
    private static final MethodHandle FA_INIT = noErrno("posix_spawn_file_actions_init", I, A);
    private static final MethodHandle FA_DESTROY = noErrno("posix_spawn_file_actions_destroy", I, A);
    private static final MethodHandle FA_DUP2 = noErrno("posix_spawn_file_actions_adddup2", I, A, I, I);
    private static final MethodHandle FA_OPEN = noErrno("posix_spawn_file_actions_addopen", I, A, I, A, I, I);
    private static final MethodHandle FA_CHDIR = noErrno("posix_spawn_file_actions_addchdir_np", I, A, A);
    private static final MethodHandle FA_CLOSEFROM = noErrno("posix_spawn_file_actions_addclosefrom_np", I, A, I);
    private static final MethodHandle ATTR_INIT = noErrno("posix_spawnattr_init", I, A);
    private static final MethodHandle ATTR_DESTROY = noErrno("posix_spawnattr_destroy", I, A);
    private static final MethodHandle ATTR_FLAGS = noErrno("posix_spawnattr_setflags", I, A, ValueLayout.JAVA_SHORT);
    private static final MethodHandle ATTR_SIGMASK = noErrno("posix_spawnattr_setsigmask", I, A, A);
    private static final MethodHandle ATTR_SIGDEFAULT = noErrno("posix_spawnattr_setsigdefault", I, A, A);
    private static final MethodHandle SIGEMPTYSET = noErrno("sigemptyset", I, A);
    private static final MethodHandle SIGFILLSET = noErrno("sigfillset", I, A);

    private static final int O_CLOEXEC = 0x80000;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0x40;
    private static final int O_TRUNC = 0x200;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare. */
    private static final long OPAQUE = 512;
    /** Where the daemon's ends are moved while the child's fds are arranged: above anything a child gets. */
    private static final int HIGH_FD = 64;

    /** Which way a pipe goes, seen from the child. */
    public enum Direction { CHILD_WRITES, CHILD_READS }

    /**
     * A pipe at {@code childFd} in the child, also duplicated to {@code alsoAt} when that is not
     * negative (conmon's exec mode takes its sync and attach messages on one pipe).
     */
    public record Pipe(int childFd, Direction direction, int alsoAt) {
        public Pipe(int childFd, Direction direction) {
            this(childFd, direction, -1);
        }
    }

    private Spawn() {
    }

    private static MethodHandle noErrno(String name, ValueLayout ret, ValueLayout... args) {
        return Downcalls.libcNoErrno(name, FunctionDescriptor.of(ret, args));
    }

    /** A started child: its pid, the daemon's ends of its pipes, and its exit. */
    public static final class Child implements AutoCloseable {
        private final int pid;
        private final Map<Integer, InputStream> inputs;
        private final Map<Integer, OutputStream> outputs;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        private Child(int pid, Map<Integer, InputStream> inputs, Map<Integer, OutputStream> outputs) {
            this.pid = pid;
            this.inputs = inputs;
            this.outputs = outputs;
        }

        public int pid() {
            return pid;
        }

        /** What the child writes on {@code childFd} (a {@link Direction#CHILD_WRITES} pipe). */
        public InputStream input(int childFd) {
            return inputs.get(childFd);
        }

        /** What the child reads on {@code childFd} (a {@link Direction#CHILD_READS} pipe). */
        public OutputStream output(int childFd) {
            return outputs.get(childFd);
        }

        /** Completes with the exit code (128 + n for signal n) once the child has exited and is reaped. */
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        /** SIGKILL, unless the child is already reaped (its pid may then be another process's). */
        public void kill() {
            synchronized (exit) {
                if (!exit.isDone()) {
                    try (Arena arena = Arena.ofConfined()) {
                        int ignored = (int) KILL.invokeExact(Downcalls.capture(arena), pid, 9);
                    } catch (Throwable t) {
                        throw Libc.rethrow(t);
                    }
                }
            }
        }

        /** Closes the daemon's ends of the pipes; the child runs on. */
        @Override
        public void close() {
            List<AutoCloseable> all = new ArrayList<>(inputs.values());
            all.addAll(outputs.values());
            for (AutoCloseable c : all) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }

    /**
     * Starts {@code argv} (its first element an absolute path) in {@code cwd} with exactly
     * {@code env}, its stderr written to {@code stderr} (created or truncated).
     */
    public static Child start(List<String> argv, Map<String, String> env, Path cwd, Path stderr, List<Pipe> pipes)
            throws IOException {
        List<Integer> toClose = new ArrayList<>();
        Map<Integer, InputStream> inputs = new HashMap<>();
        Map<Integer, OutputStream> outputs = new HashMap<>();
        int lowestUnused = 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Downcalls.capture(arena);
            MemorySegment fa = arena.allocate(OPAQUE, 8);
            MemorySegment attr = arena.allocate(OPAQUE, 8);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fa));
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
            try {
                check("addopen", (int) FA_OPEN.invokeExact(fa, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0));
                check("addopen", (int) FA_OPEN.invokeExact(fa, 1, arena.allocateFrom("/dev/null"), O_WRONLY, 0));
                check("addopen", (int) FA_OPEN.invokeExact(fa, 2, arena.allocateFrom(stderr.toString()),
                        O_WRONLY | O_CREAT | O_TRUNC, 0600));
                for (Pipe p : pipes) {
                    MemorySegment ends = arena.allocate(I, 2);
                    if ((int) PIPE2.invokeExact(err, ends, O_CLOEXEC) != 0) {
                        throw Libc.error("pipe2", Downcalls.errno(err));
                    }
                    int r = high(err, ends.getAtIndex(I, 0), toClose);
                    int w = high(err, ends.getAtIndex(I, 1), toClose);
                    boolean childWrites = p.direction() == Direction.CHILD_WRITES;
                    int childEnd = childWrites ? w : r;
                    int ownEnd = childWrites ? r : w;
                    // the daemon's end as a JDK stream of its own; the raw fds are closed below
                    String proc = "/proc/self/fd/" + ownEnd;
                    if (childWrites) {
                        inputs.put(p.childFd(), new FileInputStream(proc));
                    } else {
                        outputs.put(p.childFd(), new FileOutputStream(proc));
                    }
                    check("adddup2", (int) FA_DUP2.invokeExact(fa, childEnd, p.childFd()));
                    lowestUnused = Math.max(lowestUnused, p.childFd() + 1);
                    if (p.alsoAt() >= 0) {
                        check("adddup2", (int) FA_DUP2.invokeExact(fa, childEnd, p.alsoAt()));
                        lowestUnused = Math.max(lowestUnused, p.alsoAt() + 1);
                    }
                }
                check("addclosefrom", (int) FA_CLOSEFROM.invokeExact(fa, lowestUnused));
                check("addchdir", (int) FA_CHDIR.invokeExact(fa, arena.allocateFrom(cwd.toString())));
                MemorySegment none = arena.allocate(OPAQUE, 8);
                MemorySegment all = arena.allocate(OPAQUE, 8);
                check("sigemptyset", (int) SIGEMPTYSET.invokeExact(none));
                check("sigfillset", (int) SIGFILLSET.invokeExact(all));
                check("setsigmask", (int) ATTR_SIGMASK.invokeExact(attr, none));
                check("setsigdefault", (int) ATTR_SIGDEFAULT.invokeExact(attr, all));
                check("setflags", (int) ATTR_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGMASK
                        | POSIX_SPAWN_SETSIGDEF)));
                MemorySegment pid = arena.allocate(I);
                int rc = (int) SPAWN.invokeExact(pid, arena.allocateFrom(argv.getFirst()), fa, attr,
                        strings(arena, argv), strings(arena, env.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                if (rc != 0) {
                    throw Libc.error("cannot run " + argv.getFirst(), rc);
                }
                Child child = new Child(pid.get(I, 0), inputs, outputs);
                reap(child);
                return child;
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(fa);
                ignored = (int) ATTR_DESTROY.invokeExact(attr);
                for (int fd : toClose) {
                    ignored = (int) CLOSE.invokeExact(err, fd);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            for (AutoCloseable c : inputs.values()) {
                closeQuietly(c);
            }
            for (AutoCloseable c : outputs.values()) {
                closeQuietly(c);
            }
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code fd} moved above the child's fds (close-on-exec), so that no dup2 of the child's overwrites it. */
    private static int high(MemorySegment err, int fd, List<Integer> toClose) throws Throwable {
        int h = (int) FCNTL.invokeExact(err, fd, F_DUPFD_CLOEXEC, HIGH_FD);
        int e = Downcalls.errno(err);
        int ignored = (int) CLOSE.invokeExact(err, fd);
        if (h < 0) {
            throw Libc.error("fcntl(F_DUPFD_CLOEXEC)", e);
        }
        toClose.add(h);
        return h;
    }

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(A, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(A, i, arena.allocateFrom(values.get(i), StandardCharsets.UTF_8));
        }
        array.setAtIndex(A, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String what, int rc) throws IOException {
        if (rc != 0) {
            throw Libc.error(what, rc);
        }
    }

    /** waitpid blocks in the kernel: a platform thread of its own, not a virtual thread's carrier. */
    private static void reap(Child c) {
        Thread.ofPlatform().daemon().name("spawn-reaper-" + c.pid).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment err = Downcalls.capture(arena);
                MemorySegment status = arena.allocate(I);
                while (true) {
                    int r = (int) WAITPID.invokeExact(err, c.pid, status, 0);
                    if (r == c.pid) {
                        int s = status.get(I, 0);
                        synchronized (c.exit) {
                            c.exit.complete((s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f));
                        }
                        return;
                    }
                    if (r < 0 && Downcalls.errno(err) != Libc.EINTR) {
                        synchronized (c.exit) {
                            c.exit.complete(-1); // not our child any more: nothing to reap
                        }
                        return;
                    }
                }
            } catch (Throwable t) {
                c.exit.completeExceptionally(t);
            }
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
