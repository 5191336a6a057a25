package dev.wharf.daemon.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes handed from the event loop to one blocking reader, with a bounded buffer. The event
 * loop stops reading the socket when {@link #hasRoom()} says no; the reader's next take below
 * the low-water mark calls {@code onDrained} so the event loop reads again.
 */
final class InputPipe extends InputStream {
    static final int HIGH = 1 << 20;
    static final int LOW = 256 << 10;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Runnable onDrained;
    private int headPos;
    private long buffered;
    private boolean eof;
    private boolean discard;
    private boolean stalled;
    private IOException error;

    InputPipe(Runnable onDrained) {
        this.onDrained = onDrained;
    }

    /** Event loop: copies the readable bytes of {@code buf} (does not release it). */
    void push(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0) {
            return;
        }
        byte[] a = new byte[n];
        buf.getBytes(buf.readerIndex(), a);
        lock.lock();
        try {
            if (discard || eof) {
                return;
            }
            chunks.add(a);
            buffered += n;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: no more bytes will come. */
    void finish() {
        lock.lock();
        try {
            eof = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: the stream broke; the reader gets what was buffered, then this error. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (!eof) {
                error = e;
                eof = true;
            }
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True if the event loop may read more; otherwise remembers to call onDrained later. */
    boolean hasRoom() {
        lock.lock();
        try {
            if (discard || buffered < HIGH) {
                return true;
            }
            stalled = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean isDiscarding() {
        lock.lock();
        try {
            return discard;
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is buffered and everything that arrives later. */
    void abandon() {
        lock.lock();
        try {
            discard = true;
            chunks.clear();
            buffered = 0;
            stalled = false;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        onDrained.run();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean wake = false;
        int n;
        lock.lock();
        try {
            while (chunks.isEmpty() && !eof && !discard) {
                ready.awaitUninterruptibly();
            }
            if (chunks.isEmpty()) {
                if (error != null) {
                    throw new IOException(error.getMessage(), error);
                }
                return -1;
            }
            byte[] head = chunks.peek();
            n = Math.min(len, head.length - headPos);
            System.arraycopy(head, headPos, b, off, n);
            headPos += n;
            if (headPos == head.length) {
                chunks.poll();
                headPos = 0;
            }
            buffered -= n;
            if (stalled && buffered < LOW) {
                stalled = false;
                wake = true;
            }
        } finally {
            lock.unlock();
        }
        if (wake) {
            onDrained.run();
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, buffered);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        abandon();
    }
}
