package dev.wharf.client.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.io.IOException;

/**
 * Where the daemon listens: {@code unix:///run/wharf/wharf.sock} or {@code tcp://host:port}.
 * A bare absolute path means a unix socket.
 */
public record DaemonAddress(String text, SocketAddress socketAddress, boolean unix, String hostHeader) {

    public static final String DEFAULT = "unix:///run/wharf/wharf.sock";

    public static DaemonAddress parse(String s) {
        if (s == null || s.isBlank()) {
            s = DEFAULT;
        }
        s = s.trim();
        if (s.startsWith("/")) {
            s = "unix://" + s;
        }
        if (s.startsWith("unix://")) {
            String path = s.substring("unix://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("invalid unix socket address: " + s);
            }
            return new DaemonAddress(s, UnixDomainSocketAddress.of(path), true, "api.wharf");
        }
        if (s.startsWith("tcp://") || s.startsWith("http://")) {
            String rest = s.substring(s.indexOf("://") + 3);
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                rest = rest.substring(0, slash);
            }
            int colon = rest.lastIndexOf(':');
            String host = colon < 0 ? rest : rest.substring(0, colon);
            int port = colon < 0 ? 2375 : Integer.parseInt(rest.substring(colon + 1));
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            return new DaemonAddress(s, InetSocketAddress.createUnresolved(host, port), false, rest);
        }
        throw new IllegalArgumentException("unsupported daemon address (use unix:// or tcp://): " + s);
    }

    /** Opens a blocking connection to the daemon. */
    SocketChannel connect() throws IOException {
        if (unix) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(socketAddress);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        }
        InetSocketAddress a = (InetSocketAddress) socketAddress;
        SocketChannel ch = SocketChannel.open();
        try {
            ch.connect(new InetSocketAddress(a.getHostString(), a.getPort()));
            ch.socket().setTcpNoDelay(true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }
}
