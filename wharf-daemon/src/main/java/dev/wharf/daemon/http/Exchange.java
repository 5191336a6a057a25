package dev.wharf.daemon.http;

import com.fasterxml.jackson.core.JacksonException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.daemon.error.ErrorMapper;
import dev.wharf.store.db.Database;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response, used by one handler on its own virtual thread. A response is
 * started exactly once: {@link #respond}, {@link #respondJson}, {@link #respondEmpty},
 * {@link #stream} or {@link #hijack}.
 */
public final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9][0-9.]*)(/.*)$");
    private static final Set<String> FALSE = Set.of("", "0", "no", "false", "none");

    private final HttpServer server;
    private final Connection conn;
    private final Channel ch;
    private final HttpRequest req;
    private final InputPipe body;
    private final boolean head;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();
    private final List<Runnable> goneCallbacks = new CopyOnWriteArrayList<>();
    private volatile boolean gone;
    private Map<String, List<String>> query = Map.of();
    private String path;
    private ApiVersion version = ApiVersion.CURRENT;
    private Map<String, String> params = Map.of();
    private boolean started;
    private ChannelOutput streamOut;
    private HijackImpl hijack;

    Exchange(HttpServer server, Connection conn, Channel ch, HttpRequest req, InputPipe body) {
        this.server = server;
        this.conn = conn;
        this.ch = ch;
        this.req = req;
        this.body = body;
        this.head = HttpMethod.HEAD.equals(req.method());
    }

    // ---- running ----

    void run() {
        boolean forceClose = false;
        try {
            dispatch();
        } catch (Throwable t) {
            if (!started) {
                sendError(t);
            } else {
                log.debug("{} {} failed after the response started: {}", method(), req.uri(), t.toString());
            }
        } finally {
            try {
                if (hijack != null) {
                    forceClose = true;
                } else if (!started) {
                    respondEmpty(200);
                } else if (streamOut != null && !streamOut.isClosed()) {
                    streamOut.close();
                }
            } catch (Throwable t) {
                forceClose = true;
            }
            boolean close = forceClose;
            ch.eventLoop().execute(() -> conn.handlerFinished(this, close));
        }
    }

    private void dispatch() throws Exception {
        QueryStringDecoder qsd = new QueryStringDecoder(req.uri());
        query = qsd.parameters();
        String rawPath = qsd.rawPath();
        Matcher m = VERSION_PREFIX.matcher(rawPath);
        if (m.matches()) {
            String v = m.group(1);
            version = ApiVersion.parse(v);
            rawPath = m.group(2);
            if (version.compareTo(ApiVersion.CURRENT) > 0) {
                throw new InvalidArgumentException("client version " + v + " is too new. Maximum supported API version is "
                        + ApiVersion.CURRENT);
            }
            if (version.compareTo(ApiVersion.MIN) < 0) {
                throw new InvalidArgumentException("client version " + v + " is too old. Minimum supported API version is "
                        + ApiVersion.MIN + ", please upgrade your client to a newer version");
            }
        }
        path = Router.decode(rawPath);
        Router.Match match = server.router().match(req.method().name(), rawPath);
        if (match == null) {
            throw new NotFoundException("page not found");
        }
        params = match.params();
        if (req.method().name().equals("DELETE") || rawPath.endsWith("/prune")) {
            // what removes things frees space: on a full disk it may use the database's reserve
            Database.withReserve(() -> match.handler().handle(this));
        } else {
            match.handler().handle(this);
        }
    }

    private void sendError(Throwable t) {
        int status = ErrorMapper.status(t);
        if (status >= 500) {
            log.warn("{} {}: {}", method(), req.uri(), ErrorMapper.message(t), t);
        } else {
            log.debug("{} {}: {} {}", method(), req.uri(), status, ErrorMapper.message(t));
        }
        if (status == 304) {
            respondEmpty(304);
        } else {
            respond(status, "application/json", ErrorMapper.body(t));
        }
    }

    void markGone() {
        if (gone) {
            return;
        }
        gone = true;
        for (Runnable r : goneCallbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.debug("client-gone callback failed", e);
            }
        }
    }

    boolean keepAlive() {
        return HttpUtil.isKeepAlive(req);
    }

    // ---- request ----

    public String method() {
        return req.method().name();
    }

    /** The path without the /vX.Y prefix and without the query, percent-decoded. */
    public String path() {
        return path;
    }

    public ApiVersion version() {
        return version;
    }

    public String param(String name) {
        return params.get(name);
    }

    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    public boolean hasQuery(String name) {
        return query.containsKey(name);
    }

    /** Moby's rules: "", "0", "no", "false", "none" (any case) are false; absent gives dflt. */
    public boolean queryBool(String name, boolean dflt) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        return !FALSE.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    public Integer queryInt(String name) {
        Long v = queryLong(name);
        if (v == null) {
            return null;
        }
        if (v != v.intValue()) {
            throw new InvalidArgumentException("invalid value for " + name + ": " + query(name));
        }
        return v.intValue();
    }

    public Long queryLong(String name) {
        String v = query(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid value for " + name + ": \"" + v + "\"");
        }
    }

    public String header(String name) {
        return req.headers().get(name);
    }

    /** The request body, streamed as it arrives. */
    public InputStream body() {
        return body;
    }

    /** The JSON body as {@code type}; null when the body is empty. */
    /**
     * A part of a body already read as a tree, decoded as strictly as {@link #bodyJson}; errors
     * name the field from {@code goPath} ("CreateRequest", "CreateRequest.HostConfig").
     */
    public <T> T treeValue(com.fasterxml.jackson.databind.JsonNode node, Class<T> type, String goPath) {
        try {
            return server.requestMapper().treeToValue(node, type);
        } catch (JacksonException e) {
            throw new InvalidArgumentException(RequestJson.message(e, goPath));
        }
    }

    public <T> T bodyJson(Class<T> type) {
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        String ct = header("Content-Type");
        if (ct != null && !ct.isBlank() && !isJson(ct)) {
            throw new InvalidArgumentException("Content-Type specified (" + ct + ") must be 'application/json'");
        }
        return RequestJson.decode(server.requestMapper(), bytes, type);
    }

    private static boolean isJson(String contentType) {
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return media.equalsIgnoreCase("application/json");
    }

    // ---- response ----

    /** An extra header for the response that is started next. */
    public void header(String name, String value) {
        extraHeaders.put(name, value);
    }

    public boolean responseStarted() {
        return started;
    }

    public void respondJson(int status, Object value) {
        byte[] bytes;
        try {
            bytes = server.mapper().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        respond(status, "application/json", bytes);
    }

    public void respond(int status, String contentType, byte[] bytes) {
        begin();
        ByteBuf content = head || bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
        prepare(res);
        if (contentType != null) {
            res.headers().set("Content-Type", contentType);
        }
        if (status != 204 && status != 304) {
            res.headers().set("Content-Length", bytes.length);
        }
        ch.writeAndFlush(res);
    }

    public void respondEmpty(int status) {
        respond(status, null, new byte[0]);
    }

    /**
     * Sends the status and headers at once (chunked) and returns the body: every write is sent
     * as a chunk right away, close() ends the response. Writes block while the client is slow
     * and throw IOException once it is gone.
     */
    public OutputStream stream(int status, String contentType) {
        begin();
        var res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        prepare(res);
        if (contentType != null) {
            res.headers().set("Content-Type", contentType);
        }
        if (!head) {
            res.headers().set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
        }
        ChannelFuture f = ch.writeAndFlush(res);
        if (head) {
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return OutputStream.nullOutputStream();
        }
        streamOut = new ChannelOutput(ch, f, DefaultHttpContent::new, this::endStream);
        return streamOut;
    }

    private void endStream() {
        if (ch.isActive()) {
            streamOut.setLast(ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        }
    }

    /** How long a hijacked stream's body waits for the client to read the response head. */
    private static final java.time.Duration HEAD_READ_WAIT = java.time.Duration.ofSeconds(2);

    /**
     * Takes over the connection. With {@code Upgrade: tcp} answers {@code 101 UPGRADED},
     * otherwise a bare {@code 200 OK} whose body runs until the connection closes. An unread
     * request body is discarded first.
     */
    public Hijack hijack(String contentType) {
        begin();
        String upgrade = header("Upgrade");
        boolean tcp = upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("tcp");
        var headers = new io.netty.handler.codec.http.DefaultHttpHeaders();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        if (tcp) {
            headers.set("Connection", "Upgrade").set("Upgrade", "tcp");
        }
        return takeOver(tcp ? "HTTP/1.1 101 UPGRADED" : "HTTP/1.1 200 OK", headers, null);
    }

    /**
     * Fails with a 400 unless the request is a websocket handshake; a route calls it before doing
     * anything that {@link #webSocket} would have to undo.
     */
    public void requireWebSocketHandshake() {
        String upgrade = header("Upgrade");
        String key = header("Sec-WebSocket-Key");
        if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket") || key == null
                || key.isBlank()) {
            throw new InvalidArgumentException("not a websocket handshake: the request needs the headers "
                    + "\"Upgrade: websocket\" and \"Sec-WebSocket-Key\"");
        }
    }

    /**
     * Answers a websocket handshake (RFC 6455) with {@code 101 Switching Protocols}; what is then
     * written goes out as one binary (or text) frame per write, and the client's data frames are
     * read as one byte stream.
     */
    public Hijack webSocket(boolean binary) {
        requireWebSocketHandshake();
        begin();
        var headers = new io.netty.handler.codec.http.DefaultHttpHeaders()
                .set("Upgrade", "websocket")
                .set("Connection", "Upgrade")
                .set("Sec-WebSocket-Accept", WebSocketFrames.acceptKey(header("Sec-WebSocket-Key").strip()));
        return takeOver("HTTP/1.1 101 Switching Protocols", headers, WebSocketFrames.wrapper(binary));
    }

    /**
     * Takes over the connection: discards an unread request body, writes the response head and
     * turns the connection into a pipe of raw bytes, or of websocket frames with {@code frames} set.
     */
    private Hijack takeOver(String statusLine, HttpHeaders headers, Function<ByteBuf, Object> frames) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var h = new StringBuilder(statusLine).append("\r\n");
        standardHeaders(headers, server.info());
        extraHeaders.forEach(headers::set);
        headers.forEach(e -> h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n"));
        h.append("\r\n");
        ByteBuf headBuf = Unpooled.copiedBuffer(h, StandardCharsets.ISO_8859_1);
        InputPipe in = new InputPipe(conn::readLater);
        boolean ws = frames != null;
        CompletableFuture<ChannelFuture> entered = new CompletableFuture<>();
        ch.eventLoop().execute(() -> {
            try {
                entered.complete(conn.enterHijack(headBuf, in, this, ws));
            } catch (Throwable t) {
                entered.completeExceptionally(t);
            }
        });
        ChannelFuture headWrite;
        try {
            headWrite = entered.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("hijack failed: " + e.getCause().getMessage(), e.getCause()));
        }
        // The body waits until the client has read the head: docker-py reads the head through a
        // buffer and the body from the raw socket, so body bytes sent along with the head are lost.
        if (headWrite.awaitUninterruptibly(HEAD_READ_WAIT.toMillis()) && headWrite.isSuccess()) {
            PeerReadWait.await(ch, HEAD_READ_WAIT);
        }
        gone = !ch.isActive();
        hijack = new HijackImpl(in, new ChannelOutput(ch, headWrite, ws ? frames : b -> b, () -> { }), ch,
                ws ? conn::closeWebSocket : null);
        return hijack;
    }

    /** True once the client closed the connection (or, outside a hijack, its sending side). */
    public boolean clientGone() {
        return gone || !ch.isActive();
    }

    /** Runs {@code r} once the client is gone: on a Netty thread, or at once on the caller if it already is. */
    public void onClientGone(Runnable r) {
        goneCallbacks.add(r);
        if (clientGone()) {
            markGone();
            if (goneCallbacks.remove(r)) {
                r.run();
            }
        }
    }

    private void begin() {
        if (started) {
            throw new IllegalStateException("response already started");
        }
        started = true;
    }

    private void prepare(HttpResponse res) {
        standardHeaders(res.headers(), server.info());
        extraHeaders.forEach(res.headers()::set);
        extraHeaders.clear();
        if (!keepAlive()) {
            res.headers().set("Connection", HttpHeaderValues.CLOSE);
        }
    }

    static void standardHeaders(HttpHeaders h, ServerInfo info) {
        h.set("Api-Version", ApiVersion.CURRENT.toString())
                .set("Docker-Experimental", "false")
                .set("Ostype", "linux")
                .set("Server", info.serverHeader());
    }

    private static final class HijackImpl implements Hijack {
        private final InputPipe in;
        private final ChannelOutput out;
        private final Channel ch;
        private final Supplier<ChannelFuture> goodbye;

        /** {@code goodbye}: sends the protocol's closing message (a websocket close frame), or null. */
        HijackImpl(InputPipe in, ChannelOutput out, Channel ch, Supplier<ChannelFuture> goodbye) {
            this.in = in;
            this.out = out;
            this.ch = ch;
            this.goodbye = goodbye;
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void close() {
            try {
                out.drain(10_000);
                if (goodbye != null && ch.isActive()) {
                    goodbye.get().awaitUninterruptibly(5_000);
                }
            } catch (IOException e) {
                // the client is gone; close anyway
            }
            ch.close().awaitUninterruptibly(5_000);
        }
    }
}
