package dev.wharf.it.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server (a {@link LocalRegistry}) that passes at
 * most {@code bytesPerSecond} each way per connection, and counts what it passed: a registry slow
 * enough that a test can act while a pull or push is under way, and see whether it goes on.
 */
public final class SlowProxy implements AutoCloseable {

    private static final int SLICE = 16 * 1024;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong passed = new AtomicLong();
    private volatile long bytesPerSecond;

    private SlowProxy(ServerSocket server, int upstreamPort, long bytesPerSecond) {
        this.server = server;
        this.upstreamPort = upstreamPort;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** A proxy to {@code 127.0.0.1:upstreamPort}, passing {@code bytesPerSecond} each way per connection. */
    public static SlowProxy start(int upstreamPort, long bytesPerSecond) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            SlowProxy p = new SlowProxy(s, upstreamPort, bytesPerSecond);
            Thread.ofPlatform().daemon().name("slow-proxy-accept").start(p::accept);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT} */
    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes passed so far, both ways, over every connection. */
    public long passed() {
        return passed.get();
    }

    /** Changes the rate for what is passed from now on; {@code Long.MAX_VALUE} for no limit. */
    public void rate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * Waits until nothing has passed for {@code quietMillis}, at most {@code timeoutMillis}; returns
     * what had passed then, or throws when the traffic never stopped.
     */
    public long awaitQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long last = passed.get();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = passed.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quietMillis * 1_000_000L) {
                return now;
            }
        }
        throw new AssertionError("the traffic through the proxy never stopped; " + passed.get() + " bytes passed");
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofPlatform().daemon().name("slow-proxy-up").start(() -> pump(client, upstream));
                Thread.ofPlatform().daemon().name("slow-proxy-down").start(() -> pump(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[SLICE];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            long start = System.nanoTime();
            long sent = 0;
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                long rate = bytesPerSecond;
                if (rate != Long.MAX_VALUE) {
                    long due = start + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                } else {
                    start = System.nanoTime();
                    sent = 0;
                }
                out.write(buf, 0, n);
                out.flush();
                sent += n;
                passed.addAndGet(n);
            }
        } catch (IOException | InterruptedException e) {
            // a side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        sockets.forEach(this::closeQuietly);
    }
}
