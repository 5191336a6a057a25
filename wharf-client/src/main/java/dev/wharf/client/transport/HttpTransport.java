package dev.wharf.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 over a unix socket or TCP, one connection per request. Bodies come back as streams
 * framed by Content-Length, chunking, or the end of the connection.
 */
public final class HttpTransport {

    private final DaemonAddress address;

    public HttpTransport(DaemonAddress address) {
        this.address = address;
    }

    public DaemonAddress address() {
        return address;
    }

    /** Sends the request and reads the status line and headers; the body is left to the caller. */
    public HttpResponse execute(HttpRequest req) throws IOException {
        SocketChannel ch = open();
        try {
            InputStream in = send(ch, req, false);
            String statusLine = HttpWire.readLine(in);
            while (statusLine != null && statusLine.startsWith("HTTP/1.1 100")) {
                HttpWire.readHeaders(in);
                statusLine = HttpWire.readLine(in);
            }
            Status st = Status.parse(statusLine);
            Map<String, String> headers = HttpWire.readHeaders(in);
            return new HttpResponse(st.code, st.reason, headers, body(req.method(), st.code, headers, in), ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Sends the request with {@code Connection: Upgrade} and {@code Upgrade: tcp}. A 101 (or a
     * bare 200 from servers that do not upgrade) gives a raw pipe; any other answer is returned
     * as a response for the caller to turn into an error.
     */
    public Hijack hijack(HttpRequest req) throws IOException {
        SocketChannel ch = open();
        try {
            InputStream in = send(ch, req.withHeader("Connection", "Upgrade").withHeader("Upgrade", "tcp"), true);
            Status st = Status.parse(HttpWire.readLine(in));
            Map<String, String> headers = HttpWire.readHeaders(in);
            if (st.code == 101 || st.code == 200) {
                InputStream body = st.code == 200 ? body(req.method(), st.code, headers, in) : in;
                return new Hijack(new HijackedStream(ch, body, headers), null);
            }
            return new Hijack(null, new HttpResponse(st.code, st.reason, headers,
                    body(req.method(), st.code, headers, in), ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Exactly one of the two is set. */
    public record Hijack(HijackedStream stream, HttpResponse failure) {
    }

    private SocketChannel open() throws IOException {
        try {
            return address.connect();
        } catch (SocketException | java.nio.channels.UnresolvedAddressException e) {
            throw new ConnectFailure(address.text(), e);
        }
    }

    /** Thrown when the connection itself cannot be made. */
    public static final class ConnectFailure extends IOException {
        public ConnectFailure(String address, Throwable cause) {
            super("cannot connect to " + address + ": " + cause.getMessage(), cause);
        }
    }

    private InputStream send(SocketChannel ch, HttpRequest req, boolean upgrade) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", address.hostHeader());
        headers.put("User-Agent", "Wharf-Client/0.1");
        headers.putAll(req.headers());
        if (req.body() != null) {
            headers.put("Content-Length", Integer.toString(req.body().length));
        } else if (req.bodyStream() != null) {
            headers.put("Transfer-Encoding", "chunked");
        } else if (needsLength(req.method())) {
            headers.put("Content-Length", "0");
        }
        OutputStream raw = new HttpWire.ChannelOutput(ch);
        BufferedOutputStream out = new BufferedOutputStream(raw, 16 * 1024);
        HttpWire.writeHead(out, req.method(), req.pathAndQuery(), headers);
        if (req.body() != null) {
            out.write(req.body());
        } else if (req.bodyStream() != null) {
            ChunkedOutputStream chunked = new ChunkedOutputStream(out);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = req.bodyStream().read(buf)) > 0) {
                chunked.write(buf, 0, n);
            }
            chunked.finish();
        }
        out.flush();
        return new HttpWire.Buffered(new HttpWire.ChannelInput(ch));
    }

    private static boolean needsLength(String method) {
        return method.equals("POST") || method.equals("PUT");
    }

    private static InputStream body(String method, int status, Map<String, String> headers, InputStream in) {
        if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return InputStream.nullInputStream();
        }
        String te = headers.get("Transfer-Encoding");
        if (te != null && te.toLowerCase().contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String cl = headers.get("Content-Length");
        if (cl != null) {
            return new BoundedInputStream(in, Long.parseLong(cl.trim()));
        }
        return in;
    }

    private record Status(int code, String reason) {
        static Status parse(String line) throws IOException {
            if (line == null) {
                throw new IOException("the daemon closed the connection without answering");
            }
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("malformed HTTP status line: " + line);
            }
            try {
                return new Status(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
            } catch (NumberFormatException e) {
                throw new IOException("malformed HTTP status line: " + line);
            }
        }
    }
}
