package dev.wharf.client.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * A connection the daemon upgraded ({@code 101 UPGRADED}) to a raw byte pipe: read the
 * container's output from {@link #input()}, write its stdin to {@link #output()}, and call
 * {@link #closeWrite()} at the end of stdin (a half-close: output keeps flowing).
 */
public final class HijackedStream implements Closeable {

    private final SocketChannel channel;
    private final InputStream input;
    private final OutputStream output;
    private final Map<String, String> headers;

    HijackedStream(SocketChannel channel, InputStream input, Map<String, String> headers) {
        this.channel = channel;
        this.input = input;
        this.output = new HttpWire.ChannelOutput(channel);
        this.headers = headers;
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return output;
    }

    /** Header lookup, case-insensitive, from the 101 (or 200) answer. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Half-closes: the daemon sees end of stdin, the output keeps coming. */
    public void closeWrite() throws IOException {
        if (channel.isOpen()) {
            channel.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
