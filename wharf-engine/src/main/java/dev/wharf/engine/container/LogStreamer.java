package dev.wharf.engine.container;

import dev.wharf.engine.common.Times;
import dev.wharf.runtime.LogReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Renders a container's k8s-file log as {@code docker logs} expects it: framed or raw, filtered. */
public final class LogStreamer {

    /** What {@code /containers/{id}/logs} asks for; {@code tail} below 0 means all. */
    public record Options(boolean stdout, boolean stderr, boolean timestamps, Instant since, Instant until,
            int tail, boolean follow) {
    }

    private static final byte[] NO_BYTES = new byte[0];

    private LogStreamer() {
    }

    static void replay(Path log, Options o, OutputStream out, boolean tty) throws IOException {
        BufferedOutputStream buf = new BufferedOutputStream(out, 1 << 16);
        Framer framer = new Framer(buf, tty, false);
        Consumer<LogReader.Line> sink = sink(o, framer);
        try {
            List<Path> files = LogRotation.files(log);
            if (o.tail() >= 0) {
                List<LogReader.Line> lines = new ArrayList<>();
                for (int i = files.size() - 1; i >= 0 && lines.size() < o.tail(); i--) {
                    lines.addAll(0, LogReader.tail(files.get(i), o.tail() - lines.size()));
                }
                lines.forEach(sink);
            } else {
                for (Path f : files) {
                    LogReader.read(f, 0, sink);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        framer.finish();
        buf.flush();
    }

    /**
     * Replays (or tails) the log, then follows it until {@code done}; {@code wake} completes when
     * {@code done} may have become true (the container exited, the client went away).
     */
    static void follow(Path log, Options o, OutputStream out, boolean tty, Supplier<Boolean> done,
            java.util.concurrent.CompletionStage<?> wake) throws IOException {
        long offset = 0;
        if (o.tail() >= 0) {
            offset = fileSize(log);
            replay(log, o, out, tty);
        }
        out.flush();
        // each record is written in up to four pieces and flushed whole
        BufferedOutputStream buf = new BufferedOutputStream(out, 1 << 16);
        try {
            LogReader.follow(log, offset, sink(o, new Framer(buf, tty, true)), done::get, wake);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The log's stdout/stderr records from byte {@code offset} on, as they stand now. */
    static void replayFrom(Path log, long offset, boolean stdout, boolean stderr, OutputStream out, boolean tty)
            throws IOException {
        BufferedOutputStream buf = new BufferedOutputStream(out, 1 << 16);
        Framer framer = new Framer(buf, tty, false);
        try {
            LogReader.read(log, offset, sink(new Options(stdout, stderr, false, null, null, -1, false), framer));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        framer.finish();
        buf.flush();
    }

    private static long fileSize(Path log) {
        try {
            return java.nio.file.Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Consumer<LogReader.Line> sink(Options o, Framer framer) {
        return l -> {
            boolean err = l.stream().equals("stderr");
            if (err ? !o.stderr() : !o.stdout()) {
                return;
            }
            if (o.since() != null && l.time().isBefore(o.since())) {
                return;
            }
            if (o.until() != null && l.time().isAfter(o.until())) {
                return;
            }
            byte[] prefix = o.timestamps()
                    ? (Times.rfc3339Fixed(l.time()) + " ").getBytes(StandardCharsets.US_ASCII) : NO_BYTES;
            try {
                framer.add(err ? 2 : 1, prefix, l.content(), !l.partial());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Writes records as the multiplexed stream (or raw with a TTY). Replaying, consecutive records
     * of one stream share a frame of up to {@link #MAX_FRAME} bytes: a client reads the same bytes,
     * and a log of a million short lines is not a million frames for it to take apart. Following,
     * each record is its own frame, flushed at once.
     */
    private static final class Framer {
        private static final int MAX_FRAME = 32 * 1024;
        private final OutputStream out;
        private final boolean tty;
        private final boolean eachRecord;
        private final byte[] pending = new byte[MAX_FRAME];
        private int size;
        private int stream;

        Framer(OutputStream out, boolean tty, boolean eachRecord) {
            this.out = out;
            this.tty = tty;
            this.eachRecord = eachRecord;
        }

        void add(int stream, byte[] prefix, byte[] content, boolean newline) throws IOException {
            int len = prefix.length + content.length + (newline ? 1 : 0);
            if (eachRecord || len > MAX_FRAME) {
                finish();
                StreamFrames.writeHeader(out, tty, stream, len);
                out.write(prefix);
                out.write(content);
                if (newline) {
                    out.write('\n');
                }
                if (eachRecord) {
                    out.flush();
                }
                return;
            }
            if (size > 0 && (stream != this.stream || size + len > MAX_FRAME)) {
                finish();
            }
            this.stream = stream;
            System.arraycopy(prefix, 0, pending, size, prefix.length);
            System.arraycopy(content, 0, pending, size + prefix.length, content.length);
            size += prefix.length + content.length;
            if (newline) {
                pending[size++] = '\n';
            }
        }

        /** Writes the frame being gathered, if any. */
        void finish() throws IOException {
            if (size > 0) {
                StreamFrames.write(out, tty, stream, pending, size);
                size = 0;
            }
        }
    }
}
