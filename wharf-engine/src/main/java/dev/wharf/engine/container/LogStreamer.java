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

    private LogStreamer() {
    }

    static void replay(Path log, Options o, OutputStream out, boolean tty) throws IOException {
        BufferedOutputStream buf = new BufferedOutputStream(out, 1 << 16);
        Consumer<LogReader.Line> sink = sink(o, buf, tty, false);
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
        buf.flush();
    }

    static void follow(Path log, Options o, OutputStream out, boolean tty, Supplier<Boolean> done)
            throws IOException {
        long offset = 0;
        if (o.tail() >= 0) {
            offset = fileSize(log);
            replay(log, o, out, tty);
        }
        out.flush();
        try {
            LogReader.follow(log, offset, sink(o, out, tty, true), done::get);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The log's stdout/stderr records from byte {@code offset} on, as they stand now. */
    static void replayFrom(Path log, long offset, boolean stdout, boolean stderr, OutputStream out, boolean tty)
            throws IOException {
        BufferedOutputStream buf = new BufferedOutputStream(out, 1 << 16);
        try {
            LogReader.read(log, offset, sink(new Options(stdout, stderr, false, null, null, -1, false), buf, tty,
                    false));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        buf.flush();
    }

    private static long fileSize(Path log) {
        try {
            return java.nio.file.Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Consumer<LogReader.Line> sink(Options o, OutputStream out, boolean tty, boolean flushEach) {
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
            byte[] content = l.content();
            byte[] prefix = o.timestamps()
                    ? (Times.rfc3339Fixed(l.time()) + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
            int len = prefix.length + content.length + (l.partial() ? 0 : 1);
            byte[] data = new byte[len];
            System.arraycopy(prefix, 0, data, 0, prefix.length);
            System.arraycopy(content, 0, data, prefix.length, content.length);
            if (!l.partial()) {
                data[len - 1] = '\n';
            }
            try {
                AttachSession.write(out, tty, err ? 2 : 1, data, len);
                if (flushEach) {
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
