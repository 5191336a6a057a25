package dev.wharf.daemon.http;

import dev.wharf.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A stream of JSON messages, each written together with its line end in one write, so one HTTP
 * chunk carries whole messages: docker-py's decoder fails on a chunk that holds only the line
 * end. Events, stats and wait end lines with {@code \n}; progress streams (load, import, pull,
 * push, build) with {@code \r\n}, as Docker's streamformatter does.
 */
public final class JsonLines {

    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream out;
    private final byte[] end;

    private JsonLines(OutputStream out, byte[] end) {
        this.out = out;
        this.end = end;
    }

    /** Messages ended by {@code \n} (events, stats, wait). */
    public static JsonLines of(OutputStream out) {
        return new JsonLines(out, LF);
    }

    /** Progress messages ended by {@code \r\n} (load, import, pull, push, build). */
    public static JsonLines progress(OutputStream out) {
        return new JsonLines(out, CRLF);
    }

    /** Writes one message and its line end as one chunk. */
    public void send(Object message) throws IOException {
        byte[] json = Json.mapper().writeValueAsBytes(message);
        byte[] line = new byte[json.length + end.length];
        System.arraycopy(json, 0, line, 0, json.length);
        System.arraycopy(end, 0, line, json.length, end.length);
        out.write(line);
        out.flush();
    }

    /** {@link #send} for callbacks that cannot throw IOException. */
    public void sendUnchecked(Object message) {
        try {
            send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
