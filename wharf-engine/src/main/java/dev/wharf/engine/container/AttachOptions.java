package dev.wharf.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * Options of {@code /containers/{id}/attach}; {@code detachKeys} null or empty means ctrl-p,ctrl-q.
 * {@code raw}: the output as the container wrote it even without a TTY, stdout and stderr mixed
 * (the websocket attach, whose frames carry no stream header).
 */
public record AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr,
        String detachKeys, boolean raw) {

    public AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr) {
        this(stream, logs, stdin, stdout, stderr, null);
    }

    public AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr,
            String detachKeys) {
        this(stream, logs, stdin, stdout, stderr, detachKeys, false);
    }

    /**
     * The client's side of an attach, opened (the HTTP upgrade sent) only once the session is
     * registered; {@code gone} tells whether the client has closed its connection already.
     */
    public record Streams(InputStream in, OutputStream out, BooleanSupplier gone) {
        public Streams(InputStream in, OutputStream out) {
            this(in, out, () -> false);
        }
    }

    /** Opens the client's streams; called after the session is in place, so a start that follows sees it. */
    @FunctionalInterface
    public interface Opener {
        Streams open() throws IOException;
    }
}
