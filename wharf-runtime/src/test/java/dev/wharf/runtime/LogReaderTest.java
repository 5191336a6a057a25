package dev.wharf.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {

    @TempDir
    Path dir;

    static String rec(int sec, String stream, String tag, String content) {
        return "2026-11-28T15:03:%02d.818763667+00:00 %s %s %s\n".formatted(sec, stream, tag, content);
    }

    @Test
    void read_parsesRecordsAndStopsAtIncompleteOne() throws Exception {
        Path log = dir.resolve("ctr.log");
        String body = rec(1, "stdout", "F", "hello") + rec(2, "stderr", "F", "oops there") + rec(3, "stdout", "F", "")
                + "2026-11-28T15:03:04.0+00:00 stdout F incompl";
        Files.writeString(log, body);
        List<LogReader.Line> lines = new ArrayList<>();
        long off = LogReader.read(log, 0, lines::add);
        assertThat(lines).extracting(LogReader.Line::text).containsExactly("hello", "oops there", "");
        assertThat(lines).extracting(LogReader.Line::stream).containsExactly("stdout", "stderr", "stdout");
        assertThat(lines.getFirst().time()).isEqualTo(Instant.parse("2026-11-28T15:03:01.818763667Z"));
        assertThat(lines.getFirst().partial()).isFalse();
        assertThat(off).isEqualTo(body.indexOf("2026-11-28T15:03:04"));
        Files.writeString(log, "ete\n", StandardOpenOption.APPEND);
        lines.clear();
        LogReader.read(log, off, lines::add);
        assertThat(lines).extracting(LogReader.Line::text).containsExactly("incomplete");
    }

    @Test
    void read_largeFileAcrossChunks() throws Exception {
        Path log = dir.resolve("big.log");
        StringBuilder b = new StringBuilder();
        String longLine = "x".repeat(100_000);
        b.append(rec(1, "stdout", "F", longLine));
        for (int i = 0; i < 3000; i++) {
            b.append(rec(2, "stdout", "F", "line " + i));
        }
        Files.writeString(log, b);
        List<LogReader.Line> lines = new ArrayList<>();
        long off = LogReader.read(log, 0, lines::add);
        assertThat(lines).hasSize(3001);
        assertThat(lines.getFirst().content()).hasSize(100_000);
        assertThat(lines.getLast().text()).isEqualTo("line 2999");
        assertThat(off).isEqualTo(Files.size(log));
    }

    @Test
    void joining_mergesPartialRecordsPerStream() throws Exception {
        Path log = dir.resolve("p.log");
        Files.writeString(log, rec(1, "stdout", "P", "hel") + rec(2, "stderr", "F", "err")
                + rec(3, "stdout", "P", "lo ") + rec(4, "stdout", "F", "world") + rec(5, "stdout", "P", "prompt$ "));
        List<LogReader.Line> out = new ArrayList<>();
        var j = LogReader.joining(out::add);
        LogReader.read(log, 0, j);
        assertThat(out).extracting(LogReader.Line::text).containsExactly("err", "hello world");
        assertThat(out.get(1).time()).isEqualTo(Instant.parse("2026-11-28T15:03:01.818763667Z"));
        LogReader.flush(j);
        assertThat(out).extracting(LogReader.Line::text).containsExactly("err", "hello world", "prompt$ ");
        assertThat(out.getLast().partial()).isTrue();
    }

    @Test
    void tail_returnsLastLogicalLines() throws Exception {
        Path log = dir.resolve("t.log");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append(rec(1, "stdout", "F", "l" + i));
        }
        b.append(rec(2, "stdout", "P", "a")).append(rec(2, "stdout", "P", "b")).append(rec(2, "stdout", "F", "c"));
        b.append(rec(3, "stderr", "F", "last"));
        Files.writeString(log, b);
        assertThat(LogReader.tail(log, 3)).extracting(LogReader.Line::text).containsExactly("l4999", "abc", "last");
        assertThat(LogReader.tail(log, 1)).extracting(LogReader.Line::text).containsExactly("last");
        assertThat(LogReader.tail(log, 2)).extracting(LogReader.Line::text).containsExactly("abc", "last");
        assertThat(LogReader.tail(log, 10_000)).hasSize(5002);
        assertThat(LogReader.tail(log, 0)).isEmpty();
        assertThat(LogReader.tail(dir.resolve("missing"), 5)).isEmpty();
    }

    @Test
    void tail_countsTrailingPartialAsALine() throws Exception {
        Path log = dir.resolve("tp.log");
        Files.writeString(log, rec(1, "stdout", "F", "one") + rec(1, "stdout", "F", "two")
                + rec(2, "stdout", "P", "pro") + rec(2, "stdout", "P", "mpt"));
        assertThat(LogReader.tail(log, 2)).extracting(LogReader.Line::text).containsExactly("two", "prompt");
    }

    @Test
    void follow_seesAppendsUntilStopped() throws Exception {
        Path log = dir.resolve("f.log");
        Files.writeString(log, rec(1, "stdout", "F", "first"));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                LogReader.follow(log, l -> seen.add(l.text()), stop::get);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Files.writeString(log, rec(2, "stdout", "F", "second"), StandardOpenOption.APPEND);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Files.writeString(log, rec(3, "stderr", "F", "third"), StandardOpenOption.APPEND);
        stop.set(true);
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(seen).containsExactly("first", "second", "third");
    }

    /**
     * conmon's rotation: the last records go to the old file, then a new file is renamed over the
     * log, with no other link kept to the old one (max-file 1). The follower reads both, in order.
     */
    @Test
    void follow_readsTheRestOfARotatedFile_thenTheNewOne() throws Exception {
        Path log = dir.resolve("r.log");
        Files.writeString(log, rec(1, "stdout", "F", "first"));
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> wake = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                LogReader.follow(log, 0, l -> seen.add(l.text()), () -> false, wake);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        try (FileChannel old = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Path tmp = dir.resolve("r.log.tmp");
            Files.writeString(tmp, rec(3, "stdout", "F", "third"));
            old.write(ByteBuffer.wrap(rec(2, "stdout", "F", "second").getBytes(StandardCharsets.UTF_8)));
            Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
        Files.writeString(log, rec(4, "stdout", "F", "fourth"), StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
        wake.complete(null);
        t.join(5000);
        assertThat(t.isAlive()).as("woken, the follow ends").isFalse();
        assertThat(seen).containsExactly("first", "second", "third", "fourth");
    }

    @Test
    void parse_keepsRawBytes() {
        byte[] rec = "2026-11-28T15:03:56.818763667+00:00 stdout F caf\u00e9 \u0001".getBytes(StandardCharsets.UTF_8);
        LogReader.Line l = LogReader.parse(rec, 0, rec.length);
        assertThat(l.text()).isEqualTo("caf\u00e9 \u0001");
        assertThat(LogReader.parse("garbage".getBytes(), 0, 7)).isNull();
    }

    @Test
    void fastTime_agreesWithTheFormatter_andDeclinesOtherShapes() {
        for (String t : new String[] {"2026-11-28T18:16:29.593598135+00:00", "2024-02-29T23:59:59.000000001-05:30",
                "1999-12-31T00:00:00.999999999+14:00"}) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            assertThat(LogReader.fastTime(b, 0, b.length))
                    .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(t, Instant::from));
        }
        for (String t : new String[] {"2026-11-28T18:16:29.5935+00:00", "2026-11-28T18:16:29.593598135Z",
                "2026-02-30T18:16:29.593598135+00:00", "2026-11-28T18:16:2x.593598135+00:00"}) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            assertThat(LogReader.fastTime(b, 0, b.length)).as(t).isNull();
        }
    }
}
