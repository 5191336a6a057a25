package dev.wharf.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.ffm.Downcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real SOCK_SEQPACKET listener in a temporary directory, made here with bind/listen/accept. */
@Timeout(60)
class UnixSeqPacketTest {

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final MethodHandle BIND = Downcalls.libc("bind", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle LISTEN = Downcalls.libc("listen", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle ACCEPT = Downcalls.libc("accept", FunctionDescriptor.of(I, I, A, A));

    @TempDir
    Path dir;

    /** A listener at {@code path} with room for {@code backlog + 1} connections nobody accepted. */
    private static int listen(Path path, int backlog) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int fd = (int) Libc.SOCKET.invokeExact(cap, 1, 5 | 0x80000, 0);
            assertThat(fd).isNotNegative();
            byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment addr = arena.allocate(110, 2);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
            assertThat((int) BIND.invokeExact(cap, fd, addr, 110)).isZero();
            assertThat((int) LISTEN.invokeExact(cap, fd, backlog)).isZero();
            return fd;
        }
    }

    private static int accept(int listener) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int fd = (int) ACCEPT.invokeExact(cap, listener, MemorySegment.NULL, MemorySegment.NULL);
            assertThat(fd).isNotNegative();
            return fd;
        }
    }

    private static void close(int fd) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Libc.CLOSE.invokeExact(Libc.capture(arena), fd);
        }
    }

    @Test
    void packetsGoBothWays_keepingTheirBounds() throws Throwable {
        int listener = listen(dir.resolve("l"), 4);
        try (UnixSeqPacket client = UnixSeqPacket.connect(dir.resolve("l"))) {
            int server = accept(listener);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cap = Libc.capture(arena);
                MemorySegment buf = arena.allocate(64);
                client.send("one".getBytes(StandardCharsets.UTF_8), 0, 3);
                client.send("two!".getBytes(StandardCharsets.UTF_8), 0, 4);
                assertThat((long) Libc.RECV.invokeExact(cap, server, buf, 64L, 0)).isEqualTo(3);
                assertThat((long) Libc.RECV.invokeExact(cap, server, buf, 64L, 0)).isEqualTo(4);
                MemorySegment reply = arena.allocateFrom("back", StandardCharsets.UTF_8);
                assertThat((long) Libc.SEND.invokeExact(cap, server, reply, 4L, 0)).isEqualTo(4);
            }
            byte[] got = new byte[64];
            int n = client.read(got);
            assertThat(new String(got, 0, n, StandardCharsets.UTF_8)).isEqualTo("back");
            close(server);
            assertThat(client.read(got)).isZero();
        } finally {
            close(listener);
        }
    }

    @Test
    void aMissingSocket_isAReadableError() {
        assertThatThrownBy(() -> UnixSeqPacket.connect(dir.resolve("nobody")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connect " + dir.resolve("nobody"))
                .hasMessageContaining("No such file or directory");
    }

    /**
     * A listener that does not accept (a busy conmon) must not park virtual threads in connect(2):
     * that would pin every carrier, and no other virtual thread of the daemon would run.
     */
    @Test
    void connectsToAFullBacklog_waitWithoutPinningCarriers_andGetThroughOnceAccepted() throws Throwable {
        Path path = dir.resolve("busy");
        int listener = listen(path, 0);
        List<UnixSeqPacket> opened = new ArrayList<>();
        try {
            opened.add(UnixSeqPacket.connect(path)); // the one pending connection a backlog of 0 allows
            int waiting = 3 * Runtime.getRuntime().availableProcessors();
            AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(waiting);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                int slot = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        results.set(slot, UnixSeqPacket.connect(path));
                    } catch (IOException | RuntimeException e) {
                        results.set(slot, e);
                    }
                }));
            }
            Thread.sleep(200); // let them all reach the full backlog
            CountDownLatch ran = new CountDownLatch(1);
            Thread.ofVirtual().start(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("another virtual thread runs meanwhile").isTrue();
            for (int i = 0; i <= waiting; i++) {
                close(accept(listener));
            }
            for (Thread t : threads) {
                assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
            }
            for (int i = 0; i < waiting; i++) {
                assertThat(results.get(i)).isInstanceOf(UnixSeqPacket.class);
                opened.add((UnixSeqPacket) results.get(i));
            }
        } finally {
            opened.forEach(UnixSeqPacket::close);
            close(listener);
        }
    }
}
