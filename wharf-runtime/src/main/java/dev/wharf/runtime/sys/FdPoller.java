package dev.wharf.runtime.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Waits for file descriptors to become readable (or writable) without blocking the waiting thread
 * in native code: the waiter registers the fd with a one-shot epoll interest and parks on a
 * future; one platform thread sits in {@code epoll_wait} and completes the futures. A virtual
 * thread that waits here unmounts from its carrier, as it does in the JDK's own socket reads, so
 * any number of attached streams never pin the two carriers of a small machine.
 *
 * <p>Each fd has at most one waiter per poller; a socket read by one thread and written by
 * another uses the two pollers of {@link #readable()} and {@link #writable()}. The caller
 * serialises {@link #await} against {@link #forget} and the close of the fd.
 */
final class FdPoller {

    private static final int EPOLLIN = 0x1;
    private static final int EPOLLOUT = 0x4;
    private static final int EPOLLRDHUP = 0x2000;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    /** {@code struct epoll_event} is packed on x86_64: u32 events, u64 data. */
    private static final int EVENT_SIZE = 12;
    private static final int MAX_EVENTS = 64;

    private static final class Holder {
        static final FdPoller READ = new FdPoller("wharf-poll-read", EPOLLIN | EPOLLRDHUP);
        static final FdPoller WRITE = new FdPoller("wharf-poll-write", EPOLLOUT);
        static final FdPoller HANGUP = new FdPoller("wharf-poll-hangup", 0);
    }

    private final int epfd;
    private final int interest;
    private final Map<Integer, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Set<Integer> registered = ConcurrentHashMap.newKeySet();
    private volatile Throwable dead;

    private FdPoller(String name, int interest) {
        this.interest = interest;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int fd = (int) Libc.EPOLL_CREATE1.invokeExact(cap, EPOLL_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException(Libc.error("epoll_create1", Libc.errno(cap)));
            }
            this.epfd = fd;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /** The process's poller for readability (and hang-up). */
    static FdPoller readable() {
        return Holder.READ;
    }

    /** The process's poller for writability. */
    static FdPoller writable() {
        return Holder.WRITE;
    }

    /** The process's poller for hang-ups alone (EPOLLHUP and EPOLLERR, which epoll always reports). */
    static FdPoller hangup() {
        return Holder.HANGUP;
    }

    /** Arms a one-shot interest in {@code fd}; {@link Waiter#await()} then parks until it fires. */
    Waiter arm(int fd) throws IOException {
        if (dead != null) {
            throw new IOException("socket poller stopped", dead);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.put(fd, f);
        int op = registered.add(fd) ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            MemorySegment ev = arena.allocate(EVENT_SIZE, 4);
            ev.set(ValueLayout.JAVA_INT, 0, interest | EPOLLONESHOT);
            ev.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, fd);
            int rc = (int) Libc.EPOLL_CTL.invokeExact(cap, epfd, op, fd, ev);
            if (rc < 0) {
                int err = Libc.errno(cap);
                waiting.remove(fd, f);
                if (op == EPOLL_CTL_ADD) {
                    registered.remove(fd);
                }
                throw Libc.error("epoll_ctl", err);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        return new Waiter(f);
    }

    /** Drops {@code fd} from the poller before it is closed, waking its waiter if any. */
    void forget(int fd) {
        if (registered.remove(fd)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cap = Libc.capture(arena);
                int ignored = (int) Libc.EPOLL_CTL.invokeExact(cap, epfd, EPOLL_CTL_DEL, fd, MemorySegment.NULL);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
        CompletableFuture<Void> f = waiting.remove(fd);
        if (f != null) {
            f.complete(null);
        }
    }

    /** A armed interest, awaited outside any lock. */
    record Waiter(CompletableFuture<Void> ready) {
        void await() throws IOException {
            try {
                ready.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a socket");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            MemorySegment events = arena.allocate((long) EVENT_SIZE * MAX_EVENTS, 8);
            while (true) {
                int n = (int) Libc.EPOLL_WAIT.invokeExact(cap, epfd, events, MAX_EVENTS, -1);
                if (n < 0) {
                    if (Libc.errno(cap) == Libc.EINTR) {
                        continue;
                    }
                    throw Libc.error("epoll_wait", Libc.errno(cap));
                }
                for (int i = 0; i < n; i++) {
                    int fd = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * EVENT_SIZE + 4);
                    CompletableFuture<Void> f = waiting.remove(fd);
                    if (f != null) {
                        f.complete(null);
                    }
                }
            }
        } catch (Throwable t) {
            // Nothing can be waited on any more: fail every waiter rather than leave them parked.
            dead = t;
            waiting.values().forEach(f -> f.completeExceptionally(t));
            System.err.println("wharfd: socket poller stopped: " + t);
        }
    }
}
