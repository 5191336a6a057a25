package dev.wharf.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** A minimal HTTP/1.1 client over a unix socket: one connection per request, whole responses. */
final class UnixHttp {

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private final Path socket;

    UnixHttp(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    Response send(String method, String path, String contentType, byte[] body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\n");
            if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
            if (body != null || method.equals("POST")) head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
            head.append("\r\n");
            write(channel, head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) write(channel, body);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16384);
            String status = line(in);
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            if (method.equals("HEAD") || code == 204 || code == 304) return new Response(code, new byte[0]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    out.write(in.readNBytes((int) size));
                    line(in);
                }
            } else if (length >= 0) {
                out.write(in.readNBytes((int) length));
            } else {
                in.transferTo(out);
            }
            return new Response(code, out.toByteArray());
        }
    }

    boolean ping() {
        try {
            Response r = send("GET", "/_ping", null, null);
            return r.status() == 200 && r.text().equals("OK");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) throw new EOFException("connection closed");
            sb.append((char) c);
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
        return sb.toString();
    }

    /** {@code POST /containers/create} with a JSON body; the new container's ID. */
    String createContainer(byte[] json) throws IOException {
        Response r = send("POST", "/containers/create", "application/json", json);
        if (r.status() != 201) {
            throw new IllegalStateException("create: " + r);
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("Id").asText();
    }

    /** {@code POST /containers/{id}/start}, which must answer 204. */
    void startContainer(String id) throws IOException {
        Response r = send("POST", "/containers/" + id + "/start", null, null);
        if (r.status() != 204) {
            throw new IllegalStateException("start: " + r);
        }
    }

    /** A GET that must answer 200. */
    Response getOk(String path) throws IOException {
        Response r = send("GET", path, null, null);
        if (r.status() != 200) {
            throw new IllegalStateException(path + ": " + r);
        }
        return r;
    }
}
