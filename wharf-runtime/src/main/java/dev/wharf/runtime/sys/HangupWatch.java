package dev.wharf.runtime.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls back once when the peer of a connected socket has closed both directions (EPOLLHUP), for
 * servers whose event loop does not report it. The HTTP server's epoll transport ignores EPOLLHUP
 * and, being level-triggered, is woken by it again and again: a connection whose client
 * half-closed and then died spins its event loop until something is written to it. A watch sees
 * the hang-up on a duplicate of the fd, in a poller of its own, once.
 *
 * <p>The duplicate keeps the socket open: {@link #close()} it when the connection closes.
 */
public final class HangupWatch implements AutoCloseable {

    private static final int F_DUPFD_CLOEXEC = 1030;

    private final int dup;
    private boolean closed;

    private HangupWatch(int dup) {
        this.dup = dup;
    }

    /** Starts watching {@code fd}; {@code onHangup} runs on the poller's thread, at most once. */
    public static HangupWatch start(int fd, Runnable onHangup) throws IOException {
        int dup;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            dup = (int) Libc.FCNTL_INT.invokeExact(cap, fd, F_DUPFD_CLOEXEC, 0);
            if (dup < 0) {
                throw Libc.error("fcntl F_DUPFD_CLOEXEC", Libc.errno(cap));
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        HangupWatch w = new HangupWatch(dup);
        FdPoller.Waiter waiter;
        try {
            waiter = FdPoller.hangup().arm(dup);
        } catch (IOException e) {
            w.closeFd();
            throw e;
        }
        waiter.ready().thenRun(() -> {
            synchronized (w) {
                if (w.closed) {
                    return;
                }
            }
            onHangup.run();
        });
        return w;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        FdPoller.hangup().forget(dup);
        closeFd();
    }

    private void closeFd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int ignored = (int) Libc.CLOSE.invokeExact(cap, dup);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
