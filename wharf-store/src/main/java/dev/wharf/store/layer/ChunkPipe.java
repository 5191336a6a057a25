package dev.wharf.store.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-over of byte chunks from one thread to another, read as an {@link InputStream}.
 * The writer gives away arrays taken from a {@link ChunkPool} (no copy, no per-byte locking as
 * in {@code PipedInputStream}); the reader gives each back to the pool once it has read it.
 * Either side can abort, and the other then fails instead of blocking.
 */
public final class ChunkPipe {

    private record Chunk(byte[] data, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final BlockingQueue<Chunk> queue;
    private final ChunkPool pool;
    private volatile IOException writerFailure;
    private volatile boolean readerGone;

    public ChunkPipe(int capacity, ChunkPool pool) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.pool = pool;
    }

    /** Hands over {@code chunk[0..length)}; the chunk (from the pool) is the reader's afterwards. */
    public void write(byte[] chunk, int length) throws IOException {
        try {
            offer(new Chunk(chunk, length));
        } catch (IOException e) {
            pool.give(chunk);
            throw e;
        }
    }

    /** True once the reader closed its side (it stopped reading, finished or failed). */
    public boolean readerGone() {
        return readerGone;
    }

    /** The end of the stream. */
    public void close() throws IOException {
        offer(END);
    }

    /** Ends the stream with a failure the reader sees. */
    public void fail(IOException e) {
        writerFailure = e;
        recycleQueued();
        queue.offer(END);
    }

    private void recycleQueued() {
        for (Chunk c; (c = queue.poll()) != null;) {
            pool.give(c.data());
        }
    }

    private void offer(Chunk chunk) throws IOException {
        try {
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (readerGone) {
                    throw new IOException("the reader stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    /** The reading side; closing it tells the writer to stop. */
    public InputStream input() {
        return new InputStream() {
            private Chunk cur;
            private int pos;
            private boolean eof;

            private boolean fill() throws IOException {
                while (!eof && (cur == null || pos >= cur.length())) {
                    if (cur != null) {
                        pool.give(cur.data());
                        cur = null;
                    }
                    Chunk next;
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException();
                    }
                    pos = 0;
                    if (next == END) {
                        eof = true;
                    } else {
                        cur = next;
                    }
                }
                if (eof && writerFailure != null) {
                    throw writerFailure;
                }
                return !eof;
            }

            @Override
            public int read() throws IOException {
                return fill() ? cur.data()[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, cur.length() - pos);
                System.arraycopy(cur.data(), pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return cur == null ? 0 : cur.length() - pos;
            }

            @Override
            public void close() {
                readerGone = true;
                if (cur != null) {
                    pool.give(cur.data());
                    cur = null;
                }
                recycleQueued();
            }
        };
    }
}
