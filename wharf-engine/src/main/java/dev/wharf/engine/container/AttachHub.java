package dev.wharf.engine.container;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.runtime.AttachSocket;
import dev.wharf.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to a container's conmon attach socket, shared by every client attached to that
 * run of the container; each client gets a {@link #subscribe() subscription} that reads and writes
 * like a connection of its own.
 *
 * <p>Why shared: conmon 2.1.6 (Debian 12) segfaults, now and then, when connections to its attach
 * socket open and close in quick succession while the container writes, and the container loses
 * its monitor (its output stops; the daemon later finds it exited). Clients that attach and leave
 * at once (a script, a flaky network) made exactly that churn. Now conmon sees one connection per
 * run, kept while anyone is attached and for {@link #LINGER} after the last one leaves.
 *
 * <p>What a client sees is what conmon gave each connection: every chunk of output from the moment
 * it subscribed, until the container's output ends. A client that reads slowly holds the others
 * back (conmon's own writes to its clients block the same way), after {@value #QUEUE} chunks of
 * slack. Stdin from every client goes to the container's stdin. A client ending its stdin closes
 * the container's, unless the container keeps its stdin open (no StdinOnce, or a TTY): then the
 * shared connection must stay writable for the next client.
 */
final class AttachHub {

    /** Opens a new connection to conmon's attach socket. */
    interface Connector {
        AttachSocket connect() throws IOException;
    }

    /** How long the connection stays after the last client left, for the next one to reuse. */
    static final Duration LINGER = Duration.ofSeconds(5);
    static final int QUEUE = 64;

    private final Connector connector;
    private final boolean leaveStdinOpen;
    private final Duration linger;
    private final List<Subscription> subscribers = new ArrayList<>();
    /** The shared connection; null before the first client and after a linger closed it. */
    private AttachSocket socket;
    /** conmon closed the connection: the container's output has ended for good. */
    private boolean ended;
    /** Bumped by every subscribe and unsubscribe, so a linger outlived by a new client does nothing. */
    private long generation;

    /** A hub for the current run of {@code c}, whose conmon made its attach socket in {@code bundle}. */
    static AttachHub forRun(Container c, ContainerRuntime runtime, Path bundle) {
        return new AttachHub(() -> runtime.attach(bundle), leavesStdinOpen(c.cfg.config()));
    }

    /**
     * Whether conmon keeps the container's stdin open when a client's ends: with a TTY Docker never
     * closes it (a client that detaches must leave the shell running); without one, only when the
     * container is not StdinOnce.
     */
    static boolean leavesStdinOpen(ContainerConfig cfg) {
        return !cfg.stdinOnce() || cfg.tty();
    }

    AttachHub(Connector connector, boolean leaveStdinOpen) {
        this(connector, leaveStdinOpen, LINGER);
    }

    AttachHub(Connector connector, boolean leaveStdinOpen, Duration linger) {
        this.connector = connector;
        this.leaveStdinOpen = leaveStdinOpen;
        this.linger = linger;
    }

    /**
     * A new client's view of the container's streams. Connects to conmon if no connection is open;
     * after the output ended, the subscription reads end of stream at once.
     */
    synchronized AttachSocket subscribe() throws IOException {
        Subscription s = new Subscription();
        if (ended) {
            s.end();
            return s;
        }
        if (socket == null) {
            AttachSocket fresh = connector.connect();
            socket = fresh;
            Thread.ofVirtual().name("attach-hub").start(() -> pump(fresh));
        }
        generation++;
        subscribers.add(s);
        return s;
    }

    /** Ends every subscription and closes the connection (the container is starting anew). */
    void shutdown() {
        AttachSocket s;
        synchronized (this) {
            ended = true;
            s = socket;
            socket = null;
            endAll();
        }
        if (s != null) {
            s.close();
        }
    }

    /** Copies conmon's output to every subscription until conmon closes, or a linger closes it here. */
    private void pump(AttachSocket sock) {
        try {
            AttachSocket.Frame f;
            while ((f = sock.read()) != null) {
                List<Subscription> now;
                synchronized (this) {
                    now = List.copyOf(subscribers);
                }
                for (Subscription s : now) {
                    s.offer(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // as the end of the output: conmon went away
        }
        synchronized (this) {
            if (socket != sock) {
                return; // closed here after the last client left, or by a shutdown
            }
            socket = null;
            ended = true;
            endAll();
        }
        sock.close();
    }

    /** Caller holds this. */
    private void endAll() {
        subscribers.forEach(Subscription::end);
        subscribers.clear();
    }

    private void unsubscribe(Subscription s) {
        long gen;
        synchronized (this) {
            if (!subscribers.remove(s) || !subscribers.isEmpty() || socket == null) {
                return;
            }
            gen = ++generation;
        }
        Thread.ofVirtual().name("attach-linger").start(() -> {
            try {
                Thread.sleep(linger);
            } catch (InterruptedException e) {
                return;
            }
            closeIfIdle(gen);
        });
    }

    private void closeIfIdle(long gen) {
        AttachSocket s;
        synchronized (this) {
            if (gen != generation || !subscribers.isEmpty() || socket == null) {
                return;
            }
            s = socket;
            socket = null;
        }
        s.close();
    }

    private synchronized AttachSocket current() throws IOException {
        if (socket == null) {
            throw new IOException("the container's output has ended");
        }
        return socket;
    }

    /** Whether a connection to conmon is open now (for tests). */
    synchronized boolean connected() {
        return socket != null;
    }

    /** One client's side: its own queue of output chunks; its stdin goes through the shared connection. */
    private final class Subscription implements AttachSocket {

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition readable = lock.newCondition();
        private final Condition roomy = lock.newCondition();
        private final ArrayDeque<Frame> frames = new ArrayDeque<>();
        private boolean endOfOutput;
        private boolean closed;

        /** From the pump: waits while this client's queue is full, unless it closes meanwhile. */
        void offer(Frame f) {
            lock.lock();
            try {
                while (frames.size() >= QUEUE && !closed) {
                    roomy.awaitUninterruptibly();
                }
                if (!closed) {
                    frames.add(f);
                    readable.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        void end() {
            lock.lock();
            try {
                endOfOutput = true;
                readable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Frame read() throws IOException {
            lock.lock();
            try {
                while (frames.isEmpty()) {
                    if (endOfOutput || closed) {
                        return null;
                    }
                    try {
                        readable.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("attach read interrupted");
                    }
                }
                Frame f = frames.poll();
                roomy.signal();
                return f;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void writeStdin(byte[] data, int off, int len) throws IOException {
            if (isClosed()) {
                throw new IOException("attach session closed");
            }
            current().writeStdin(data, off, len);
        }

        @Override
        public void closeStdin() throws IOException {
            if (!leaveStdinOpen && !isClosed()) {
                current().closeStdin();
            }
        }

        private boolean isClosed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                frames.clear();
                readable.signalAll();
                roomy.signalAll();
            } finally {
                lock.unlock();
            }
            unsubscribe(this);
        }
    }
}
