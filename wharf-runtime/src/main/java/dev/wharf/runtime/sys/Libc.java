package dev.wharf.runtime.sys;

import dev.wharf.base.ffm.Downcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls Wharf makes through FFM. Each call returns the raw result; on {@code -1} the
 * errno is in the thread's capture segment, read with {@link #errno(MemorySegment)}.
 */
final class Libc {

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EINVAL = 22;
    static final int EAGAIN = 11;

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout A = ValueLayout.ADDRESS;

    static final MethodHandle MOUNT = fn("mount", FunctionDescriptor.of(I, A, A, A, L, A));
    static final MethodHandle UMOUNT2 = fn("umount2", FunctionDescriptor.of(I, A, I));
    static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(I, I, I, I));
    static final MethodHandle CONNECT = fn("connect", FunctionDescriptor.of(I, I, A, I));
    static final MethodHandle READ = fn("read", FunctionDescriptor.of(L, I, A, L));
    static final MethodHandle SEND = fn("send", FunctionDescriptor.of(L, I, A, L, I));
    static final MethodHandle RECV = fn("recv", FunctionDescriptor.of(L, I, A, L, I));
    static final MethodHandle EPOLL_CREATE1 = fn("epoll_create1", FunctionDescriptor.of(I, I));
    static final MethodHandle EPOLL_CTL = fn("epoll_ctl", FunctionDescriptor.of(I, I, I, I, A));
    static final MethodHandle EPOLL_WAIT = fn("epoll_wait", FunctionDescriptor.of(I, I, A, I, I));
    static final MethodHandle SHUTDOWN = fn("shutdown", FunctionDescriptor.of(I, I, I));
    static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(I, I));
    static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(I, A, I));
    /** {@code fcntl(fd, cmd, int)}: variadic after the command. */
    static final MethodHandle FCNTL_INT =
            Downcalls.libc("fcntl", FunctionDescriptor.of(I, I, I, I), Linker.Option.firstVariadicArg(2));

    private Libc() {}

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return Downcalls.libc(name, fd);
    }

    static MemorySegment capture(Arena arena) {
        return Downcalls.capture(arena);
    }

    static int errno(MemorySegment capture) {
        return Downcalls.errno(capture);
    }

    static IOException error(String what, int errno) {
        return new IOException(what + ": " + Downcalls.strerror(errno) + " (errno " + errno + ")");
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
