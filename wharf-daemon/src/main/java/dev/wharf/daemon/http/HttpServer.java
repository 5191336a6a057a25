package dev.wharf.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's HTTP/1.1 server: Netty (epoll) does the I/O on a unix socket and/or TCP, and
 * each request's handler runs as plain blocking code on its own virtual thread.
 */
public final class HttpServer implements AutoCloseable {
    private final Router router;
    private final ObjectMapper mapper;
    private final ObjectMapper requestMapper;
    private final ServerInfo info;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(
            Math.max(2, Runtime.getRuntime().availableProcessors()), EpollIoHandler.newFactory());
    private final ExecutorService handlers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wharf-http-", 0).factory());
    private final ChannelGroup channels = new DefaultChannelGroup("wharf-http", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final List<Path> sockets = new CopyOnWriteArrayList<>();

    public HttpServer(Router router, ObjectMapper mapper, ServerInfo info) {
        this.router = Objects.requireNonNull(router, "router");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.requestMapper = RequestJson.strict(mapper);
        this.info = Objects.requireNonNull(info, "info");
    }

    /** Listens on a unix socket, replacing a stale socket file, then sets its mode (e.g. 0660). */
    public void listenUnix(Path socket, int mode) throws IOException {
        Files.deleteIfExists(socket);
        bind(EpollServerDomainSocketChannel.class, new DomainSocketAddress(socket.toFile()));
        sockets.add(socket);
        Files.setPosixFilePermissions(socket, permissions(mode));
    }

    public void listenTcp(String host, int port) throws IOException {
        bind(EpollServerSocketChannel.class, new InetSocketAddress(host, port));
    }

    /** The addresses actually bound (useful after listening on TCP port 0). */
    public List<SocketAddress> boundAddresses() {
        return listeners.stream().map(Channel::localAddress).toList();
    }

    private void bind(Class<? extends ServerChannel> type, SocketAddress address) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        RequestDecoder decoder = new RequestDecoder();
                        ch.pipeline()
                                .addLast("decoder", decoder)
                                .addLast("encoder", new HttpResponseEncoder())
                                .addLast("connection", new Connection(HttpServer.this, decoder));
                    }
                });
        try {
            var f = b.bind(address).await();
            if (!f.isSuccess()) {
                throw new IOException("cannot listen on " + address + ": " + f.cause().getMessage(), f.cause());
            }
            listeners.add(f.channel());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while binding " + address);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    Router router() {
        return router;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Reads request bodies as Go's decoder does: no coercion between JSON types (see {@link RequestJson}). */
    ObjectMapper requestMapper() {
        return requestMapper;
    }

    ServerInfo info() {
        return info;
    }

    void dispatch(Exchange ex) {
        handlers.execute(ex::run);
    }

    @Override
    public void close() {
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        handlers.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Path p : sockets) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
