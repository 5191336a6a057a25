package dev.wharf.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads conmon's k8s-file logs. Each record is
 * {@code <RFC 3339 time> <stdout|stderr> <P|F> <content>\n}: F ends a line (a '\n' followed it in
 * the output), P is a piece of a longer line or output that did not end in '\n'. Only complete
 * records (ending in '\n') are read, so a record being written is picked up on the next read.
 */
public final class LogReader {

    /** One record; {@code content} has no trailing newline. */
    public record Line(Instant time, String stream, boolean partial, byte[] content) {
        /** The content as UTF-8 text. */
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static final int CHUNK = 64 * 1024;
    /** A follower's buffer, kept for the whole follow: a change is usually a line or a few. */
    private static final int FOLLOW_CHUNK = 16 * 1024;
    /** A follow wakes this often without a change: for one the watch missed; its end comes by {@code wake}. */
    private static final long FOLLOW_SAFETY_MS = 1000;

    private LogReader() {}

    /** Reads every complete record from {@code fromOffset}; returns the offset after the last one. */
    public static long read(Path log, long fromOffset, Consumer<Line> sink) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            return read(ch, fromOffset, sink, ByteBuffer.allocate(CHUNK));
        } catch (NoSuchFileException e) {
            return fromOffset;
        }
    }

    /** As {@link #read(Path, long, Consumer)} through an open channel and a buffer the caller keeps. */
    private static long read(FileChannel ch, long fromOffset, Consumer<Line> sink, ByteBuffer buf) throws IOException {
        long pos = fromOffset;
        ByteArrayOutputStream pending = null; // a record that spans reads
        long readPos = fromOffset;
        while (true) {
            buf.clear();
            int n = ch.read(buf, readPos);
            if (n <= 0) {
                break;
            }
            readPos += n;
            byte[] a = buf.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    Line line;
                    if (pending != null && pending.size() > 0) {
                        pending.write(a, start, i - start);
                        byte[] rec = pending.toByteArray();
                        pending.reset();
                        line = parse(rec, 0, rec.length);
                    } else {
                        line = parse(a, start, i);
                    }
                    start = i + 1;
                    if (line != null) {
                        sink.accept(line);
                    }
                }
            }
            int pendingSize = pending == null ? 0 : pending.size();
            pos = readPos - (n - start) - pendingSize;
            if (start < n) {
                if (pending == null) {
                    pending = new ByteArrayOutputStream();
                }
                pending.write(a, start, n - start);
            }
        }
        return pos;
    }

    /** Parses one record without its newline; null when it is not a k8s-file record. */
    static Line parse(byte[] a, int from, int to) {
        int s1 = indexOf(a, from, to, (byte) ' ');
        if (s1 < 0) {
            return null;
        }
        int s2 = indexOf(a, s1 + 1, to, (byte) ' ');
        if (s2 < 0) {
            return null;
        }
        int s3 = indexOf(a, s2 + 1, to, (byte) ' ');
        int tagEnd = s3 < 0 ? to : s3;
        Instant time = fastTime(a, from, s1);
        if (time == null) {
            try {
                time = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(
                        new String(a, from, s1 - from, StandardCharsets.US_ASCII), Instant::from);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        String stream = is(a, s1 + 1, s2, STDOUT) ? "stdout" : is(a, s1 + 1, s2, STDERR) ? "stderr"
                : new String(a, s1 + 1, s2 - s1 - 1, StandardCharsets.US_ASCII);
        boolean partial = tagEnd > s2 + 1 && a[s2 + 1] == 'P';
        byte[] content = s3 < 0 ? new byte[0] : java.util.Arrays.copyOfRange(a, s3 + 1, to);
        return new Line(time, stream, partial, content);
    }

    private static final byte[] STDOUT = "stdout".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDERR = "stderr".getBytes(StandardCharsets.US_ASCII);

    private static boolean is(byte[] a, int from, int to, byte[] word) {
        return java.util.Arrays.equals(a, from, to, word, 0, word.length);
    }

    /**
     * conmon's own time format, {@code 2026-11-28T18:16:29.593598135+00:00} (nine fraction digits,
     * an offset), read without a formatter: a log of a million lines spends most of a replay in
     * DateTimeFormatter otherwise. Null for any other shape, which the caller parses the slow way.
     */
    static Instant fastTime(byte[] a, int from, int to) {
        if (to - from != 35 || a[from + 4] != '-' || a[from + 7] != '-' || a[from + 10] != 'T'
                || a[from + 13] != ':' || a[from + 16] != ':' || a[from + 19] != '.' || a[from + 32] != ':') {
            return null;
        }
        int year = digits(a, from, 4);
        int month = digits(a, from + 5, 2);
        int day = digits(a, from + 8, 2);
        int hour = digits(a, from + 11, 2);
        int minute = digits(a, from + 14, 2);
        int second = digits(a, from + 17, 2);
        int nanos = digits(a, from + 20, 9);
        int offH = digits(a, from + 30, 2);
        int offM = digits(a, from + 33, 2);
        byte sign = a[from + 29];
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || nanos < 0 || offH < 0 || offM < 0
                || (sign != '+' && sign != '-')) {
            return null;
        }
        long days;
        try {
            days = java.time.LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return null;
        }
        long offset = (offH * 3600L + offM * 60L) * (sign == '-' ? -1 : 1);
        return Instant.ofEpochSecond(days * 86400 + hour * 3600L + minute * 60L + second - offset, nanos);
    }

    /** The number written by {@code n} ASCII digits at {@code at}; -1 if one is not a digit. */
    private static int digits(byte[] a, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads the existing records, then follows appends (told by the shared {@link LogWatch}, with
     * a timeout as a safety net) until {@code stop} is true and no more data is there.
     */
    public static void follow(Path log, Consumer<Line> sink, BooleanSupplier stop) throws IOException {
        follow(log, 0, sink, stop, new CompletableFuture<Void>());
    }

    /**
     * As {@link #follow(Path, Consumer, BooleanSupplier)}, starting at byte {@code fromOffset}; when
     * {@code wake} completes (the container exited, the client went away) the follow reads what
     * is left and returns at once, without waiting for the next change or timeout. So a follow of
     * a quiet log costs nothing while it waits, and ends when its reader is gone.
     */
    public static void follow(Path log, long fromOffset, Consumer<Line> sink, BooleanSupplier stop,
            CompletionStage<?> wake) throws IOException {
        Semaphore changed = new Semaphore(0);
        AtomicBoolean woken = new AtomicBoolean();
        Runnable signal = () -> {
            if (changed.availablePermits() == 0) {
                changed.release(); // changes that come while the follower reads are one more read
            }
        };
        ByteBuffer buf = ByteBuffer.allocate(FOLLOW_CHUNK);
        FileChannel ch = null; // the log, open while it is the same file: no open and close per change
        try (LogWatch.Registration r = LogWatch.shared().watch(log.toAbsolutePath().getParent(), signal)) {
            wake.whenComplete((v, e) -> {
                woken.set(true);
                changed.release();
            });
            long off = fromOffset;
            Object fkey = fileKey(log);
            while (true) {
                Object now = fileKey(log);
                if (fkey != null && now != null && !fkey.equals(now)) {
                    // the file was rotated (replaced): finish the old one (the channel still holds it)
                    if (ch != null) {
                        read(ch, off, sink, buf);
                    } else {
                        Path old = previous(log, fkey);
                        if (old != null) {
                            read(old, off, sink);
                        }
                    }
                    closeQuietly(ch);
                    ch = null;
                    off = 0;
                }
                fkey = now == null ? fkey : now;
                if (ch == null) {
                    ch = openQuietly(log);
                    if (ch != null && fkey != null && !fkey.equals(fileKey(log))) {
                        closeQuietly(ch); // rotated while it was opened: which file it holds is not known
                        ch = null;
                        continue;
                    }
                }
                if (ch != null) {
                    off = read(ch, off, sink, buf);
                }
                if (woken.get() || stop.getAsBoolean()) {
                    if (ch != null) {
                        read(ch, off, sink, buf); // whatever was written before stop became true
                    } else {
                        read(log, off, sink);
                    }
                    return;
                }
                if (changed.tryAcquire(FOLLOW_SAFETY_MS, TimeUnit.MILLISECONDS)) {
                    changed.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(ch);
        }
    }

    private static FileChannel openQuietly(Path log) throws IOException {
        try {
            return FileChannel.open(log, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null; // not there yet: the next change or the safety poll tries again
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    private static Object fileKey(Path p) {
        try {
            return java.nio.file.Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The sibling ({@code log.cur}, {@code log.1}) that is the file with {@code key}, if one is. */
    private static Path previous(Path log, Object key) {
        String n = log.getFileName().toString();
        for (String s : new String[] {n + ".cur", n + ".1", n + ".2"}) {
            Path p = log.resolveSibling(s);
            if (key.equals(fileKey(p))) {
                return p;
            }
        }
        return null;
    }

    /** The last {@code n} logical lines, each P record joined with the records that complete it. */
    public static List<Line> tail(Path log, int n) throws IOException {
        if (n <= 0) {
            return List.of();
        }
        long start;
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            start = tailStart(ch, n);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Line> out = new ArrayList<>();
        Consumer<Line> joined = joining(out::add);
        read(log, start, joined);
        flush(joined);
        return out.size() <= n ? out : List.copyOf(out.subList(out.size() - n, out.size()));
    }

    /**
     * Where to start reading so that at least {@code n} logical lines follow: just after the
     * (n+1)-th full (F) record counted from the end, so the P records that start the earliest kept
     * line are included. An incomplete last record is ignored.
     */
    private static long tailStart(FileChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = ch.size();
        long lineEnd = -1; // offset of the '\n' ending the record being scanned back over
        int fulls = 0;
        while (pos > 0) {
            int len = (int) Math.min(CHUNK, pos);
            pos -= len;
            buf.clear().limit(len);
            ch.read(buf, pos);
            byte[] a = buf.array();
            for (int i = len - 1; i >= 0; i--) {
                if (a[i] != '\n') {
                    continue;
                }
                long off = pos + i;
                if (lineEnd >= 0 && !isPartial(ch, off + 1) && ++fulls > n) {
                    return lineEnd + 1;
                }
                lineEnd = off;
            }
        }
        return 0;
    }

    private static boolean isPartial(FileChannel ch, long recordStart) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = ch.read(b, recordStart);
        byte[] a = b.array();
        int spaces = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] == ' ' && ++spaces == 2) {
                return i + 1 < n && a[i + 1] == 'P';
            }
        }
        return false;
    }

    /**
     * Wraps {@code sink} so that P records are held and joined (per stream) with the records up to
     * and including the F record that ends the line; the joined line carries the first record's
     * time. Call {@link #flush(Consumer)} at the end to emit a final unterminated line as partial.
     */
    public static Consumer<Line> joining(Consumer<Line> sink) {
        return new Joiner(sink);
    }

    /** Emits what a {@link #joining} consumer still holds (output that did not end in '\n'). */
    public static void flush(Consumer<Line> joining) {
        if (joining instanceof Joiner j) {
            j.flush();
        }
    }

    private static final class Joiner implements Consumer<Line> {
        private final Consumer<Line> sink;
        private final Map<String, Line> held = new HashMap<>();

        Joiner(Consumer<Line> sink) {
            this.sink = sink;
        }

        @Override
        public void accept(Line l) {
            Line prev = held.remove(l.stream());
            Line merged = prev == null ? l : new Line(prev.time(), l.stream(), l.partial(), concat(prev.content(), l.content()));
            if (merged.partial()) {
                held.put(l.stream(), merged);
            } else {
                sink.accept(merged);
            }
        }

        void flush() {
            held.values().stream().sorted(java.util.Comparator.comparing(Line::time)).forEach(sink);
            held.clear();
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }
    }
}
