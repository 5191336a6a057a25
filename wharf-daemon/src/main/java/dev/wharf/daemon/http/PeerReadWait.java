package dev.wharf.daemon.http;

import dev.wharf.base.ffm.Downcalls;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the client has read what was written on a Unix socket connection, up to a deadline.
 *
 * <p>A hijacked stream (attach, exec start) begins with the response head. docker-py reads that head
 * through a buffered reader and then reads the body from the raw socket, so body bytes that reached
 * the socket before the client read the head land in that buffer and are lost to it (an attach with
 * {@code logs=1&stream=0} has its whole answer ready at once). Docker leaves this to timing; here the
 * body waits until the head is out of the socket: {@code ioctl(SIOCOUTQ)} on a Unix stream socket
 * counts the bytes the peer has not read yet. TCP has no such count (the peer's kernel acknowledges
 * what its reader has not taken yet): there the body waits a moment after the head, long enough for
 * a client already blocked reading to take the head alone, which is what Docker's own delay (opening
 * the log before the first frame) gives. The call does not block a carrier, so it is fine on a
 * virtual thread.
 */
final class PeerReadWait {

    private static final int SIOCOUTQ = 0x5411;
    /** How long the body waits after the head on a connection whose peer's reading cannot be seen. */
    private static final Duration BLIND_WAIT = Duration.ofMillis(5);
    private static final MethodHandle IOCTL;

    static {
        IOCTL = Downcalls.libcNoErrno("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    private PeerReadWait() {
    }

    /**
     * Returns once the peer has read everything written on {@code ch}, the count cannot be had, or
     * {@code max} has passed; true when the peer read it all. On other than a Unix socket, returns
     * false after a short wait.
     */
    static boolean await(Channel ch, Duration max) {
        if (!(ch instanceof EpollDomainSocketChannel uds)) {
            LockSupport.parkNanos(Math.min(BLIND_WAIT.toNanos(), max.toNanos()));
            return false;
        }
        long deadline = System.nanoTime() + max.toNanos();
        long pause = 20_000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            while (ch.isActive()) {
                int rc = (int) IOCTL.invokeExact(uds.fd().intValue(), (long) SIOCOUTQ, count);
                if (rc != 0) {
                    return false;
                }
                if (count.get(ValueLayout.JAVA_INT, 0) == 0) {
                    return true;
                }
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, 2_000_000);
            }
            return false;
        } catch (Throwable t) {
            return false;
        }
    }
}
