package dev.wharf.runtime.sys;

import dev.wharf.base.ffm.Downcalls;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Signals one process that must be the one a runtime started, not a later process that reuses its
 * pid: the process is pinned by a pidfd, its start time (field 22 of {@code /proc/<pid>/stat}, in
 * clock ticks since boot) is compared with the one recorded when it started, and only then is the
 * signal sent through the pidfd. glibc 2.36's wrappers (Linux 5.3); without them, nothing is sent.
 */
public final class Pidfd {

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final MethodHandle OPEN = find("pidfd_open", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle SEND =
            find("pidfd_send_signal", FunctionDescriptor.of(I, I, I, ValueLayout.ADDRESS, I));
    private static final MethodHandle CLOSE = find("close", FunctionDescriptor.of(I, I));

    private Pidfd() {
    }

    /** Whether this host has pidfds (else {@link #signal} always answers false). */
    public static boolean available() {
        return OPEN != null && SEND != null && CLOSE != null;
    }

    /**
     * Sends {@code signal} to {@code pid} if it is alive and started at {@code startTicks}.
     *
     * @return false when nothing was sent: the process is gone, is another one, or pidfds are missing
     */
    public static boolean signal(int pid, long startTicks, int signal) {
        if (!available() || pid <= 0) {
            return false;
        }
        try {
            int fd = (int) OPEN.invokeExact(pid, 0);
            if (fd < 0) {
                return false;
            }
            try {
                // checked after the pidfd pins the process: a pid reused before the open fails here
                if (startTicks(pid) != startTicks) {
                    return false;
                }
                return (int) SEND.invokeExact(fd, signal, MemorySegment.NULL, 0) == 0;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            return false;
        }
    }

    /** Whether {@code pid} is alive and is the process that started at {@code startTicks}. */
    public static boolean alive(int pid, long startTicks) {
        return pid > 0 && startTicks(pid) == startTicks;
    }

    /** Field 22 of {@code /proc/<pid>/stat}, or -1 when the process is gone or a zombie. */
    public static long startTicks(int pid) {
        String stat;
        try {
            stat = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return -1;
        }
        return parseStartTicks(stat);
    }

    /** The start time in a {@code stat} line; the command name may hold spaces and parentheses. */
    public static long parseStartTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); a zombie has exited, whatever its parent does with it
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X")) {
            return -1;
        }
        try {
            return Long.parseLong(f[19]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MethodHandle find(String name, FunctionDescriptor fd) {
        try {
            return Downcalls.libcNoErrno(name, fd);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }
}
