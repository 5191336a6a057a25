package dev.wharf.client.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * A response whose body is read as a stream. Closing it closes the connection (one connection
 * per request keeps the client simple; unix sockets make connecting cheap).
 */
public final class HttpResponse implements Closeable {

    private final int status;
    private final String reason;
    private final Map<String, String> headers;
    private final InputStream body;
    private final SocketChannel channel;

    HttpResponse(int status, String reason, Map<String, String> headers, InputStream body, SocketChannel channel) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.channel = channel;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** Header lookup, case-insensitive; null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public InputStream body() {
        return body;
    }

    public byte[] readAllBytes() throws IOException {
        try (this) {
            return body.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
