package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.runtime.AttachSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hub's sharing logic against an in-memory stand-in for conmon's attach connection. */
@Timeout(30)
class AttachHubTest {

    /** What conmon's end would do: frames pushed by the test, stdin recorded, EOF on close. */
    static final class FakeConmon implements AttachSocket {
        private static final Frame EOF = new Frame(0, new byte[0]);
        final LinkedBlockingQueue<Frame> out = new LinkedBlockingQueue<>();
        final StringBuffer stdin = new StringBuffer();
        volatile boolean stdinClosed;
        volatile boolean closed;

        void emit(String s) {
            out.add(new Frame(1, s.getBytes(StandardCharsets.UTF_8)));
        }

        void hangUp() {
            out.add(EOF);
        }

        @Override
        public Frame read() throws IOException {
            try {
                Frame f = out.take();
                return f == EOF ? null : f;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void writeStdin(byte[] data, int off, int len) throws IOException {
            if (stdinClosed || closed) {
                throw new IOException("broken pipe");
            }
            stdin.append(new String(data, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void closeStdin() {
            stdinClosed = true;
        }

        @Override
        public void close() {
            closed = true;
            out.add(EOF);
        }
    }

    private final List<FakeConmon> connections = new ArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();

    private AttachHub hub(boolean leaveStdinOpen, Duration linger) {
        return new AttachHub(() -> {
            connects.incrementAndGet();
            FakeConmon c = new FakeConmon();
            synchronized (connections) {
                connections.add(c);
            }
            return c;
        }, leaveStdinOpen, linger);
    }

    private FakeConmon last() {
        synchronized (connections) {
            return connections.get(connections.size() - 1);
        }
    }

    private static String text(AttachSocket.Frame f) {
        return new String(f.data(), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void everyClientGetsEveryChunk_throughOneConnection() throws Exception {
        AttachHub hub = hub(true, Duration.ofSeconds(5));
        AttachSocket a = hub.subscribe();
        AttachSocket b = hub.subscribe();
        FakeConmon conmon = last();
        conmon.emit("one");
        conmon.emit("two");
        assertThat(text(a.read())).isEqualTo("one");
        assertThat(text(a.read())).isEqualTo("two");
        assertThat(text(b.read())).isEqualTo("one");
        assertThat(text(b.read())).isEqualTo("two");
        a.writeStdin("in-a".getBytes(StandardCharsets.UTF_8), 0, 4);
        b.writeStdin("in-b".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertThat(conmon.stdin.toString()).isEqualTo("in-ain-b");
        assertThat(connects).hasValue(1);
    }

    @Test
    void theEndOfOutput_endsEveryClient_andLaterOnesAtOnceWithoutConnecting() throws Exception {
        AttachHub hub = hub(true, Duration.ofSeconds(5));
        AttachSocket a = hub.subscribe();
        AttachSocket b = hub.subscribe();
        last().emit("bye");
        last().hangUp();
        assertThat(text(a.read())).isEqualTo("bye");
        assertThat(a.read()).isNull();
        assertThat(text(b.read())).isEqualTo("bye");
        assertThat(b.read()).isNull();
        AttachSocket late = hub.subscribe();
        assertThat(late.read()).isNull();
        assertThat(connects).hasValue(1);
        assertThat(hub.connected()).isFalse();
        assertThatThrownBy(() -> late.writeStdin(new byte[1], 0, 1)).isInstanceOf(IOException.class);
    }

    @Test
    void theConnectionOutlivesTheLastClientByTheLinger_thenCloses() throws Exception {
        AttachHub hub = hub(true, Duration.ofSeconds(2));
        AttachSocket a = hub.subscribe();
        a.close();
        AttachSocket b = hub.subscribe(); // well within the linger: the same connection
        assertThat(connects).hasValue(1);
        last().emit("still");
        assertThat(text(b.read())).isEqualTo("still");
        FakeConmon first = last();
        b.close();
        awaitTrue(() -> first.closed);
        assertThat(hub.connected()).isFalse();
        AttachSocket c = hub.subscribe(); // a new client after it closed: a new connection, output not ended
        assertThat(connects).hasValue(2);
        last().emit("again");
        assertThat(text(c.read())).isEqualTo("again");
        assertThat(a.read()).as("a closed subscription reads nothing more").isNull();
    }

    @Test
    void aClientThatLeavesUnread_doesNotHoldTheOthersBack() throws Exception {
        AttachHub hub = hub(true, Duration.ofSeconds(5));
        AttachSocket idle = hub.subscribe();
        AttachSocket reader = hub.subscribe();
        FakeConmon conmon = last();
        int n = AttachHub.QUEUE * 3;
        for (int i = 0; i < n; i++) {
            conmon.emit("c" + i);
        }
        for (int i = 0; i < AttachHub.QUEUE; i++) {
            assertThat(text(reader.read())).isEqualTo("c" + i);
        }
        idle.close(); // the pump waits on it (its queue is full) until it leaves
        for (int i = AttachHub.QUEUE; i < n; i++) {
            assertThat(text(reader.read())).isEqualTo("c" + i);
        }
    }

    @Test
    void aClientsEndOfStdin_closesTheContainersOnlyWhenConmonWouldNotKeepItOpen() throws Exception {
        AttachHub once = hub(false, Duration.ofSeconds(5));
        once.subscribe().closeStdin();
        assertThat(last().stdinClosed).isTrue();

        AttachHub kept = hub(true, Duration.ofSeconds(5));
        AttachSocket first = kept.subscribe();
        first.closeStdin();
        first.close();
        AttachSocket next = kept.subscribe();
        next.writeStdin("typed".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertThat(last().stdinClosed).isFalse();
        assertThat(last().stdin.toString()).isEqualTo("typed");
    }

    @Test
    void shutdown_endsTheRunsClients_andClosesItsConnection() throws Exception {
        AttachHub hub = hub(true, Duration.ofSeconds(5));
        AttachSocket a = hub.subscribe();
        hub.shutdown();
        assertThat(a.read()).isNull();
        assertThat(last().closed).isTrue();
        assertThat(hub.subscribe().read()).isNull();
    }
}
