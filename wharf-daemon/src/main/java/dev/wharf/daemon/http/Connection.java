package dev.wharf.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import dev.wharf.runtime.sys.HangupWatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection state, confined to the channel's event loop. Requests on one connection run
 * one at a time, in order: the decoder pauses after each request and resumes only once the
 * handler finished and the request body was consumed or discarded. Auto-read is off; this
 * class alone decides when to read, which is how request bodies get back-pressure.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private enum State { IDLE, ACTIVE, HIJACKED, CLOSED }

    private final HttpServer server;
    private final RequestDecoder decoder;
    private Channel ch;
    private State state = State.IDLE;
    private Exchange current;
    private InputPipe body;
    private boolean bodyComplete;
    private boolean handlerDone;
    private boolean broken;
    private boolean inputShutdown;
    private InputPipe raw;
    private final AtomicBoolean wsCloseSent = new AtomicBoolean();
    private HangupWatch hangup;

    Connection(HttpServer server, RequestDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ch = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ch.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.HIJACKED) {
                if (msg instanceof ByteBuf b) {
                    raw.push(b);
                } else if (msg instanceof WebSocketFrame f) {
                    onFrame(f);
                }
                return;
            }
            if (msg instanceof HttpRequest req) {
                onRequest(req);
            }
            if (msg instanceof HttpContent c) {
                onContent(c);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            badRequest(req.decoderResult().cause());
            return;
        }
        if (state != State.IDLE) {
            ch.close();
            return;
        }
        state = State.ACTIVE;
        bodyComplete = false;
        handlerDone = false;
        body = new InputPipe(this::readLater);
        current = new Exchange(server, this, ch, req, body);
        if (HttpUtil.is100ContinueExpected(req)) {
            ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        try {
            server.dispatch(current);
        } catch (RejectedExecutionException e) {
            state = State.CLOSED;
            ch.close();
        }
    }

    private void onContent(HttpContent c) {
        if (state != State.ACTIVE || bodyComplete) {
            return;
        }
        if (c.decoderResult().isFailure()) {
            broken = true;
            bodyComplete = true;
            body.fail(new IOException("malformed request body: " + c.decoderResult().cause()));
            return;
        }
        body.push(c.content());
        if (c instanceof LastHttpContent) {
            bodyComplete = true;
            body.finish();
            if (handlerDone) {
                next();
            }
        }
    }

    private void badRequest(Throwable cause) {
        state = State.CLOSED;
        String msg = "{\"message\":\"bad request\"}";
        log.debug("bad request: {}", cause.toString());
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.copiedBuffer(msg, StandardCharsets.UTF_8));
        Exchange.standardHeaders(res.headers(), server.info());
        res.headers().set("Content-Type", "application/json")
                .set("Content-Length", res.content().readableBytes())
                .set("Connection", HttpHeaderValues.CLOSE);
        ch.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    void readLater() {
        ch.eventLoop().execute(this::maybeRead);
    }

    private void maybeRead() {
        if (!ch.isActive()) {
            return;
        }
        boolean want = switch (state) {
            case IDLE -> true;
            case ACTIVE -> !bodyComplete && body.hasRoom();
            case HIJACKED -> !inputShutdown && raw.hasRoom();
            case CLOSED -> false;
        };
        if (want) {
            ch.read();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        maybeRead();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof ChannelInputShutdownEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        inputShutdown = true;
        if (state == State.ACTIVE || state == State.HIJACKED) {
            watchHangup();
        }
        switch (state) {
            case IDLE -> ch.close();
            case ACTIVE -> {
                if (!bodyComplete) {
                    bodyComplete = true;
                    broken = true;
                    body.fail(new EOFException("client closed the connection before the end of the request body"));
                }
                current.markGone();
            }
            case HIJACKED -> raw.finish();
            case CLOSED -> { }
        }
    }

    /**
     * The client half-closed (or died) while a request still runs: learn when it is gone for good.
     * The epoll transport reports the hang-up of a connection it does not read from to nobody and
     * wakes for it forever, so the connection is closed here as soon as the peer has closed both
     * directions; until then the response (or hijacked stream) goes on.
     */
    private void watchHangup() {
        if (hangup != null || !(ch instanceof UnixChannel epoll) || !ch.isOpen()) {
            return;
        }
        try {
            HangupWatch w = HangupWatch.start(epoll.fd().intValue(), ch::close);
            hangup = w;
            ch.closeFuture().addListener(f -> w.close());
        } catch (IOException e) {
            log.debug("cannot watch for the client's hang-up: {}", e.toString());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        if (body != null && !bodyComplete) {
            bodyComplete = true;
            body.fail(new IOException("connection closed"));
        }
        if (raw != null) {
            raw.finish();
        }
        if (current != null) {
            current.markGone();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection error: {}", cause.toString());
        ch.close();
    }

    /** Event loop: the handler of {@code ex} returned. */
    void handlerFinished(Exchange ex, boolean forceClose) {
        if (ex != current) {
            return;
        }
        handlerDone = true;
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.HIJACKED || forceClose || broken || inputShutdown || !ex.keepAlive()) {
            state = State.CLOSED;
            closeAfterWrites();
            return;
        }
        if (!bodyComplete) {
            body.abandon();
            return;
        }
        next();
    }

    private void next() {
        state = State.IDLE;
        current = null;
        body = null;
        ch.eventLoop().execute(() -> {
            if (state != State.IDLE || !ch.isActive()) {
                return;
            }
            try {
                decoder.resume();
            } catch (Exception e) {
                log.debug("cannot decode the next request: {}", e.toString());
                ch.close();
                return;
            }
            maybeRead();
        });
    }

    /** Closes once everything already written has reached the socket. */
    void closeAfterWrites() {
        ch.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Event loop: turns the connection into a raw byte pipe and writes the response head. */
    ChannelFuture enterHijack(ByteBuf head, InputPipe in, Exchange ex, boolean webSocket) throws IOException {
        if (!ch.isActive() || state != State.ACTIVE || ex != current) {
            head.release();
            throw new IOException("client went away");
        }
        state = State.HIJACKED;
        raw = in;
        ChannelPipeline p = ch.pipeline();
        p.remove(HttpResponseEncoder.class);
        ChannelFuture f = ch.writeAndFlush(head);
        if (webSocket) {
            // before the HTTP decoder goes: bytes it read past the request (a client's first
            // frame, sent along with the handshake) are handed on to the frame decoder
            WebSocketFrames.install(p, p.context(this).name());
        }
        p.remove(decoder);
        if (inputShutdown) {
            in.finish();
        }
        maybeRead();
        return f;
    }

    /** Event loop: a websocket frame from the client; data frames are its bytes, a close frame its end. */
    private void onFrame(WebSocketFrame f) {
        if (f instanceof BinaryWebSocketFrame || f instanceof TextWebSocketFrame
                || f instanceof ContinuationWebSocketFrame) {
            raw.push(f.content());
        } else if (f instanceof PingWebSocketFrame) {
            ch.writeAndFlush(new PongWebSocketFrame(f.content().retain()));
        } else if (f instanceof CloseWebSocketFrame) {
            // the closing handshake ends the connection: nothing may follow our close frame
            raw.finish();
            closeWebSocket().addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Sends the websocket close frame (normal closure) once, whichever side closes first. */
    ChannelFuture closeWebSocket() {
        if (wsCloseSent.compareAndSet(false, true)) {
            return ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        }
        return ch.newSucceededFuture();
    }

    /** Event loop: the request body is complete. */
    boolean bodyComplete() {
        return bodyComplete;
    }
}
