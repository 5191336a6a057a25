package dev.wharf.store.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-over of byte chunks from one thread to another, read as an {@link InputStream}.
 * The writer gives away whole arrays (no copy, no per-byte locking as in {@code PipedInputStream});
 * either side can abort, and the other then fails instead of blocking.
 */
public final class ChunkPipe {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private volatile IOException writerFailure;
    private volatile boolean readerGone;

    public ChunkPipe(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Hands over {@code chunk} (which the caller must not touch afterwards). */
    public void write(byte[] chunk) throws IOException {
        offer(chunk);
    }

    /** The end of the stream. */
    public void close() throws IOException {
        offer(END);
    }

    /** Ends the stream with a failure the reader sees. */
    public void fail(IOException e) {
        writerFailure = e;
        queue.clear();
        queue.offer(END);
    }

    private void offer(byte[] chunk) throws IOException {
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
            private byte[] cur = new byte[0];
            private int pos;
            private boolean eof;

            private boolean fill() throws IOException {
                while (!eof && pos >= cur.length) {
                    try {
                        cur = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException();
                    }
                    pos = 0;
                    if (cur == END) {
                        eof = true;
                    }
                }
                if (eof && writerFailure != null) {
                    throw writerFailure;
                }
                return !eof;
            }

            @Override
            public int read() throws IOException {
                return fill() ? cur[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return cur.length - pos;
            }

            @Override
            public void close() {
                readerGone = true;
                queue.clear();
            }
        };
    }
}
