package dev.wharf.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * An HTTP request decoder that stops after each complete request until {@link #resume()}.
 * Bytes after a request stay raw in the cumulation buffer: either the next request (parsed in
 * order once the current one is answered) or, after a hijack, the client's first stream bytes,
 * which {@code handlerRemoved} hands to the next handler when the decoder is removed. Reading
 * from the socket is decided by {@link Connection} alone (auto-read is off).
 */
final class RequestDecoder extends HttpRequestDecoder {
    private ChannelHandlerContext ctx;
    private boolean paused;

    RequestDecoder() {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(64 << 10)
                .setMaxHeaderSize(1 << 20)
                .setMaxChunkSize(64 << 10));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (paused) {
            return;
        }
        super.decode(ctx, in, out);
        if (!out.isEmpty() && out.getLast() instanceof LastHttpContent) {
            paused = true;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    /** Event loop, never from inside this decoder's own channelRead: parse the next request. */
    void resume() throws Exception {
        paused = false;
        if (!ctx.isRemoved() && internalBuffer().isReadable()) {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        }
    }
}
