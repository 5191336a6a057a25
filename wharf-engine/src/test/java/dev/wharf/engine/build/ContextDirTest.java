package dev.wharf.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextDirTest {

    @TempDir
    Path tmp;

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            for (var f : files.entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(b.length);
                e.setMode(0100640);
                t.putArchiveEntry(e);
                t.write(b);
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static String sha(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void extract_writesFilesAndHashesThemOnce() throws Exception {
        byte[] tar = tar(Map.of("a.txt", "hello", "dir/b.txt", "b"));
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(tar), tmp.resolve("ctx"), Set.of())) {
            assertThat(Files.readString(c.root.resolve("dir/b.txt"))).isEqualTo("b");
            assertThat(c.entries.get("a.txt").hash()).isEqualTo(sha("hello"));
            assertThat(c.entries.get("a.txt").mode()).isEqualTo(0640);
            MessageDigest a = dev.wharf.base.id.Digest.sha256();
            MessageDigest b = dev.wharf.base.id.Digest.sha256();
            assertThat(c.checksum("dir", a)).isNotNull(); // a directory the tar only implies
            assertThat(c.checksum("missing", b)).isNull();
        }
        assertThat(tmp.resolve("ctx")).doesNotExist();
    }

    @Test
    void compressedAndCutShortTars_areRead() throws Exception {
        byte[] tar = tar(Map.of("Dockerfile", "FROM x\n"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(tar);
        }
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(gz.toByteArray()), tmp.resolve("gz"), Set.of())) {
            assertThat(c.entries).containsKey("Dockerfile");
        }
        // as the docker CLI sends it with a Dockerfile from outside: no padding, no end records
        byte[] cut = Arrays.copyOf(tar, 512 + "FROM x\n".length());
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(cut), tmp.resolve("cut"), Set.of())) {
            assertThat(Files.readString(c.root.resolve("Dockerfile"))).isEqualTo("FROM x\n");
        }
    }

    @Test
    void aPlainDockerfileBody_isTheDockerfile() throws IOException {
        byte[] body = "FROM busybox\nRUN true\n".getBytes(StandardCharsets.UTF_8);
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(body), tmp.resolve("plain"), Set.of())) {
            assertThat(Files.readString(c.root.resolve("Dockerfile"))).isEqualTo("FROM busybox\nRUN true\n");
        }
    }

    @Test
    void secrets_stayInMemory_onlyWhenNamed() throws IOException {
        byte[] tar = tar(Map.of(".wharf-build-secrets/tok", "value", "a", "x"));
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(tar), tmp.resolve("s"), Set.of("tok"))) {
            assertThat(c.secrets).containsOnlyKeys("tok");
            assertThat(c.root.resolve(".wharf-build-secrets")).doesNotExist();
            assertThat(c.entries).containsOnlyKeys("a");
        }
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(tar), tmp.resolve("n"), Set.of())) {
            assertThat(c.secrets).isEmpty();
            assertThat(c.entries).containsKey(".wharf-build-secrets/tok");
        }
    }

    @Test
    void escapingNamesAndLinks_areRefused() throws IOException {
        assertThatThrownBy(() -> ContextDir.clean("../etc/passwd")).hasMessageContaining("outside the context");
        assertThat(ContextDir.clean("./a/../b//c/")).isEqualTo("b/c");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            TarArchiveEntry link = new TarArchiveEntry("up", TarConstants.LF_SYMLINK);
            link.setLinkName("/");
            t.putArchiveEntry(link);
            t.closeArchiveEntry();
            TarArchiveEntry through = new TarArchiveEntry("up/etc/evil");
            through.setSize(1);
            t.putArchiveEntry(through);
            t.write('x');
            t.closeArchiveEntry();
        }
        try (ContextDir c = ContextDir.extract(new ByteArrayInputStream(out.toByteArray()), tmp.resolve("e"), Set.of())) {
            assertThat(Files.isDirectory(c.root.resolve("up"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("a symlink in the way is replaced, never followed").isTrue();
            assertThat(Path.of("/etc/evil")).doesNotExist();
        }
    }

    @Test
    void glob_matchesPerComponent() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("g"));
        for (String f : List.of("a.txt", "b.txt", "c.log", "src/x.java", "src/y.java", "src/sub/z.java")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), f);
        }
        assertThat(Glob.expand(root, "*.txt")).containsExactly("a.txt", "b.txt");
        assertThat(Glob.expand(root, "src/*.java")).containsExactly("src/x.java", "src/y.java");
        assertThat(Glob.expand(root, "*/sub/?.java")).containsExactly("src/sub/z.java");
        assertThat(Glob.expand(root, "[ab].txt")).containsExactly("a.txt", "b.txt");
        assertThat(Glob.expand(root, "nope*")).isEmpty();
        assertThat(Glob.expand(root, "./src/../a.txt")).containsExactly("a.txt");
        assertThatThrownBy(() -> Glob.expand(root, "../outside")).hasMessageContaining("outside the build context");
    }

    @Test
    void mountPoints_leftByTheRuntime_areNotPartOfTheLayer() throws IOException {
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("var"));
        Files.createDirectories(upper.resolve("var/cache/app"));
        Files.createDirectories(upper.resolve("run/secrets"));
        Files.createFile(upper.resolve("run/secrets/tok"));
        Files.createDirectories(upper.resolve("work"));
        Files.createDirectories(upper.resolve("work/mnt"));
        Files.writeString(upper.resolve("work/made-by-run"), "x");

        Set<String> out = RunStep.mountPoints(upper, List.of(lower),
                List.of("/var/cache/app", "/run/secrets/tok", "/work/mnt"));

        assertThat(out).containsExactlyInAnyOrder("var/cache/app", "var/cache", "run/secrets/tok", "run/secrets", "run",
                "work/mnt");
    }

    @Test
    void reuse_writesOnlyWhatChanged_andRemovesWhatIsGone() throws Exception {
        Path kept = Files.createDirectories(tmp.resolve("kept"));
        int[] released = {0};
        byte[] first = tar(Map.of("a.txt", "one", "b.txt", "bee", "dir/c.txt", "sea"));
        try (ContextDir c = ContextDir.reuse(new ByteArrayInputStream(first), kept, Set.of(), () -> released[0]++)) {
            assertThat(Files.readString(c.root.resolve("a.txt"))).isEqualTo("one");
        }
        assertThat(released[0]).isEqualTo(1);
        assertThat(kept.resolve("manifest.json")).exists();
        long inodeB = (long) Files.getAttribute(kept.resolve("root/b.txt"), "unix:ino");

        byte[] second = tar(Map.of("a.txt", "two", "b.txt", "bee"));
        try (ContextDir c = ContextDir.reuse(new ByteArrayInputStream(second), kept, Set.of(), () -> released[0]++)) {
            assertThat(Files.readString(c.root.resolve("a.txt"))).isEqualTo("two");
            assertThat(c.entries.get("a.txt").hash()).isEqualTo(sha("two"));
            assertThat((long) Files.getAttribute(c.root.resolve("b.txt"), "unix:ino")).as("unchanged: not rewritten")
                    .isEqualTo(inodeB);
            assertThat(c.root.resolve("dir/c.txt")).doesNotExist();
            assertThat(c.entries).containsOnlyKeys("a.txt", "b.txt");
        }
        // a file whose size changed behind the manifest's back is written again
        Files.writeString(kept.resolve("root/b.txt"), "longer");
        try (ContextDir c = ContextDir.reuse(new ByteArrayInputStream(second), kept, Set.of(), () -> { })) {
            assertThat(Files.readString(c.root.resolve("b.txt"))).isEqualTo("bee");
        }
        // a broken upload leaves no half-synced context behind
        byte[] cutMidFile = Arrays.copyOf(tar(Map.of("big", "x".repeat(5000))), 1024);
        assertThatThrownBy(() -> ContextDir.reuse(new ByteArrayInputStream(cutMidFile), kept, Set.of(), () -> { }))
                .isInstanceOf(IOException.class);
        assertThat(kept.resolve("root")).doesNotExist();
    }
}
