package dev.wharf.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An OutputStream onto a channel for one blocking writer. Every write is flushed at once. When
 * the channel's outbound buffer passes its high-water mark the writer waits for its last write
 * to reach the socket, so a slow client slows the writer down instead of filling memory.
 */
final class ChannelOutput extends OutputStream {
    private final Channel ch;
    private final Function<ByteBuf, Object> wrap;
    private final Runnable onClose;
    private volatile ChannelFuture last;
    private boolean closed;

    ChannelOutput(Channel ch, ChannelFuture first, Function<ByteBuf, Object> wrap, Runnable onClose) {
        this.ch = ch;
        this.last = first;
        this.wrap = wrap;
        this.onClose = onClose;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        checkAlive();
        if (len == 0) {
            return;
        }
        ChannelFuture f = ch.writeAndFlush(wrap.apply(Unpooled.copiedBuffer(b, off, len)));
        last = f;
        if (!ch.isWritable()) {
            await(f, 0);
            checkAlive();
        }
    }

    @Override
    public void flush() throws IOException {
        checkAlive();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }

    boolean isClosed() {
        return closed;
    }

    ChannelFuture last() {
        return last;
    }

    void setLast(ChannelFuture f) {
        last = f;
    }

    /** Waits until everything written so far reached the socket (timeoutMillis 0 = forever). */
    void drain(long timeoutMillis) throws IOException {
        await(last, timeoutMillis);
    }

    private void checkAlive() throws IOException {
        ChannelFuture f = last;
        if (f != null && f.isDone() && !f.isSuccess()) {
            throw new IOException("client went away: " + f.cause(), f.cause());
        }
        if (!ch.isActive()) {
            throw new IOException("client went away");
        }
    }

    private static void await(ChannelFuture f, long timeoutMillis) throws IOException {
        if (f == null) {
            return;
        }
        try {
            if (timeoutMillis > 0) {
                f.await(timeoutMillis, TimeUnit.MILLISECONDS);
            } else {
                f.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to the client");
        }
        if (f.isDone() && !f.isSuccess()) {
            throw new IOException("client went away: " + f.cause(), f.cause());
        }
    }
}
