package dev.wharf.runtime.sys;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected {@code SOCK_SEQPACKET} unix socket (the JDK's channels only do {@code SOCK_STREAM}).
 * Paths longer than {@code sun_path} are reached through {@code /proc/self/fd/<dirfd>/<name>}, as
 * podman does for conmon's attach socket. Nothing here blocks in native code, so a virtual thread
 * never pins its carrier: reads and sends wait for the socket on an {@link FdPoller}, and
 * {@link #close()} from another thread wakes a waiting reader or sender; a connect to a listener
 * whose backlog is full is tried again after a short sleep.
 */
public final class UnixSeqPacket implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SUN_PATH_MAX = 108;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Serialises arming a poller against closing the fd, so a closed fd number is never armed. */
    private final Object fdLock = new Object();
    private final Object readLock = new Object();
    private final Object sendLock = new Object();
    private final MemorySegment readCap;
    private final MemorySegment sendCap;
    private MemorySegment readBuf;
    private MemorySegment sendBuf;

    private UnixSeqPacket(int fd) {
        this.fd = fd;
        Arena auto = Arena.ofAuto();
        this.readCap = Libc.capture(auto);
        this.sendCap = Libc.capture(auto);
    }

    /** How long {@link #connect} tries a listener whose backlog stays full. */
    static final Duration CONNECT_PATIENCE = Duration.ofSeconds(20);

    /**
     * Connects to the socket at {@code path}. The socket is non-blocking: a unix listener with a full
     * backlog (conmon's holds 10) answers EAGAIN instead of parking the thread in connect(2), and the
     * connect is tried again, sleeping 1 ms, then 2, 4... up to 50 ms between tries, for
     * {@link #CONNECT_PATIENCE}.
     */
    public static UnixSeqPacket connect(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int dirFd = -1;
            if (name.length >= SUN_PATH_MAX) {
                Path parent = path.getParent();
                MemorySegment p = arena.allocateFrom(parent.toString());
                dirFd = (int) Libc.OPEN.invokeExact(cap, p, O_PATH | O_CLOEXEC);
                if (dirFd < 0) {
                    throw Libc.error("open " + parent, Libc.errno(cap));
                }
                name = ("/proc/self/fd/" + dirFd + "/" + path.getFileName()).getBytes(StandardCharsets.UTF_8);
            }
            try {
                int s = (int) Libc.SOCKET.invokeExact(cap, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (s < 0) {
                    throw Libc.error("socket", Libc.errno(cap));
                }
                MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX, 2);
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
                long deadline = System.nanoTime() + CONNECT_PATIENCE.toNanos();
                long pauseMillis = 1;
                while (true) {
                    int rc = (int) Libc.CONNECT.invokeExact(cap, s, addr, (int) addr.byteSize());
                    int err = rc < 0 ? Libc.errno(cap) : 0;
                    if (rc == 0) {
                        return new UnixSeqPacket(s);
                    }
                    if (err == Libc.EINTR) {
                        continue;
                    }
                    if (err == Libc.EAGAIN && System.nanoTime() < deadline) {
                        try {
                            Thread.sleep(pauseMillis);
                        } catch (InterruptedException e) {
                            int ignored = (int) Libc.CLOSE.invokeExact(cap, s);
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("connect " + path + ": interrupted");
                        }
                        pauseMillis = Math.min(50, pauseMillis * 2);
                        continue;
                    }
                    int ignored = (int) Libc.CLOSE.invokeExact(cap, s);
                    if (err == Libc.EAGAIN) {
                        throw new IOException("connect " + path + ": the listener's backlog stayed full for "
                                + CONNECT_PATIENCE.toSeconds() + " s");
                    }
                    throw Libc.error("connect " + path, err);
                }
            } finally {
                if (dirFd >= 0) {
                    int ignored = (int) Libc.CLOSE.invokeExact(cap, dirFd);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Reads one packet into {@code buf}; returns its length, 0 at EOF (or -1 once closed). The
     * socket is read without blocking; while it has nothing, the caller waits on the
     * {@link FdPoller}, so a virtual thread here never pins its carrier.
     */
    public int read(byte[] buf) throws IOException {
        synchronized (readLock) {
            if (readBuf == null || readBuf.byteSize() < buf.length) {
                readBuf = Arena.ofAuto().allocate(buf.length);
            }
            while (true) {
                if (closed.get()) {
                    return -1;
                }
                long n;
                int err;
                try {
                    n = (long) Libc.RECV.invokeExact(readCap, fd, readBuf, (long) buf.length, MSG_DONTWAIT);
                    err = n < 0 ? Libc.errno(readCap) : 0;
                } catch (Throwable t) {
                    throw Libc.rethrow(t);
                }
                if (n >= 0) {
                    MemorySegment.copy(readBuf, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                    return (int) n;
                }
                if (err == Libc.EAGAIN) {
                    FdPoller.Waiter w = arm(FdPoller.readable());
                    if (w == null) {
                        return -1;
                    }
                    w.await();
                } else if (err != Libc.EINTR) {
                    if (closed.get()) {
                        return -1;
                    }
                    throw Libc.error("read", err);
                }
            }
        }
    }

    /** Sends {@code len} bytes as one packet, waiting (without pinning) while the socket is full. */
    public void send(byte[] data, int off, int len) throws IOException {
        synchronized (sendLock) {
            if (sendBuf == null || sendBuf.byteSize() < Math.max(1, len)) {
                sendBuf = Arena.ofAuto().allocate(Math.max(1, len));
            }
            MemorySegment.copy(data, off, sendBuf, ValueLayout.JAVA_BYTE, 0, len);
            while (true) {
                if (closed.get()) {
                    throw new IOException("socket closed");
                }
                long n;
                int err;
                try {
                    n = (long) Libc.SEND.invokeExact(sendCap, fd, sendBuf, (long) len, MSG_NOSIGNAL | MSG_DONTWAIT);
                    err = n < 0 ? Libc.errno(sendCap) : 0;
                } catch (Throwable t) {
                    throw Libc.rethrow(t);
                }
                if (n >= 0) {
                    return;
                }
                if (err == Libc.EAGAIN) {
                    FdPoller.Waiter w = arm(FdPoller.writable());
                    if (w == null) {
                        throw new IOException("socket closed");
                    }
                    w.await();
                } else if (err != Libc.EINTR) {
                    throw Libc.error("send", err);
                }
            }
        }
    }

    /** Arms {@code poller} for this fd unless the socket is closed (then null). */
    private FdPoller.Waiter arm(FdPoller poller) throws IOException {
        synchronized (fdLock) {
            return closed.get() ? null : poller.arm(fd);
        }
    }

    /** shutdown(2) with {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    public void shutdown(int how) throws IOException {
        if (closed.get()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int rc = (int) Libc.SHUTDOWN.invokeExact(cap, fd, how);
            if (rc < 0) {
                throw Libc.error("shutdown", Libc.errno(cap));
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (fdLock) {
            FdPoller.readable().forget(fd);
            FdPoller.writable().forget(fd);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cap = Libc.capture(arena);
                int ignored = (int) Libc.SHUTDOWN.invokeExact(cap, fd, SHUT_RDWR);
                ignored = (int) Libc.CLOSE.invokeExact(cap, fd);
            } catch (Throwable t) {
                throw Libc.rethrow(t);
            }
        }
    }
}
