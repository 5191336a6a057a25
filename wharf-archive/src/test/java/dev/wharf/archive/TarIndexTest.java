package dev.wharf.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarIndexTest {

    @TempDir
    Path tmp;

    private record Indexed(ExtractResult result, TarIndex.Recorder recorder, Path index, Path tar, Path root) {
    }

    private Indexed extract(byte[] tar) throws IOException {
        Path root = tmp.resolve("diff");
        Path index = tmp.resolve("tar-index");
        Path copy = tmp.resolve("layer.tar");
        TarIndex.Recorder r = new TarIndex.Recorder(index, copy);
        ExtractResult res = Extractor.extractLayer(new ByteArrayInputStream(tar), root, r);
        return new Indexed(res, r, index, copy, root);
    }

    private static String sha(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String content(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    @Test
    void rebuildsTheExactTarFromTheUnpackedFiles() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("etc", 0755)
                .file("etc/empty", "")
                .file("etc/one", "x")
                .file("etc/block", content(512, 1))
                .file("etc/odd", content(513, 2))
                .file("etc/big", content(300_000, 3))
                .symlink("etc/link", "one")
                .hardlink("etc/hard", "etc/one")
                .file("etc/" + "long-name-".repeat(20), content(700, 4))
                .file("etc/xattr", "v", 0600, e -> e.addPaxHeader("SCHILY.xattr.user.test", "yes"))
                .add("etc/fifo", TarConstants.LF_FIFO, null, e -> e.setMode(0644))
                .file("etc/.wh.gone", "")
                .build();
        Indexed x = extract(tar);
        assertThat(x.recorder().keptTar()).isFalse();
        assertThat(x.tar()).doesNotExist();
        assertThat(Files.size(x.index())).isLessThan(tar.length / 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String digest = TarIndex.rebuild(x.index(), x.root(), out);
        assertThat(out.toByteArray()).isEqualTo(tar);
        assertThat(digest).isEqualTo(sha(tar)).isEqualTo(x.result().diffId());
        assertThat(TarIndex.size(x.index())).isEqualTo(tar.length);
    }

    @Test
    void keepsTrailingBytesAfterTheEndBlocks() throws Exception {
        byte[] base = new TarBuilder().file("a", content(1000, 5)).build();
        byte[] tar = java.util.Arrays.copyOf(base, base.length + 4096);
        tar[tar.length - 1] = 7;
        Indexed x = extract(tar);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarIndex.rebuild(x.index(), x.root(), out);
        assertThat(out.toByteArray()).isEqualTo(tar);
        assertThat(x.result().diffId()).isEqualTo(sha(tar));
    }

    @Test
    void aFileReplacedLaterInTheSameLayerKeepsTheWholeTar() throws Exception {
        byte[] tar = new TarBuilder()
                .file("first", content(2000, 7))
                .file("a", content(5000, 8))
                .file("b", content(10, 9))
                .file("a", content(3000, 10))
                .file("c", content(100, 11))
                .build();
        Indexed x = extract(tar);
        assertThat(x.recorder().keptTar()).isTrue();
        assertThat(x.index()).doesNotExist();
        assertThat(Files.readAllBytes(x.tar())).isEqualTo(tar);
        assertThat(Files.readString(x.root().resolve("a"), StandardCharsets.UTF_8)).isEqualTo(content(3000, 10));
    }

    @Test
    void aDirectoryOfIndexedFilesReplacedByAFileKeepsTheWholeTar() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("d", 0755)
                .file("d/inner", content(700, 12))
                .file("d", "now a file")
                .build();
        Indexed x = extract(tar);
        assertThat(x.recorder().keptTar()).isTrue();
        assertThat(Files.readAllBytes(x.tar())).isEqualTo(tar);
    }

    @Test
    void aWhiteoutOfAFileOfTheSameLayerKeepsTheWholeTar() throws Exception {
        byte[] tar = new TarBuilder()
                .file("victim", content(900, 13))
                .file(".wh.victim", "")
                .build();
        Indexed x = extract(tar);
        assertThat(x.recorder().keptTar()).isTrue();
        assertThat(Files.readAllBytes(x.tar())).isEqualTo(tar);
    }

    @Test
    void aSymlinkReplacedByAFileNeedsNoCopy() throws Exception {
        byte[] tar = new TarBuilder()
                .symlink("s", "nowhere")
                .file("s", content(600, 14))
                .build();
        Indexed x = extract(tar);
        assertThat(x.recorder().keptTar()).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarIndex.rebuild(x.index(), x.root(), out);
        assertThat(out.toByteArray()).isEqualTo(tar);
    }

    @Test
    void aFileWrittenThroughASymlinkedDirectoryIsReadFromWhereItLanded() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("usr/lib", 0755)
                .symlink("lib", "usr/lib")
                .file("lib/libx.so", content(4000, 15))
                .build();
        Indexed x = extract(tar);
        assertThat(x.recorder().keptTar()).isFalse();
        assertThat(x.root().resolve("usr/lib/libx.so")).exists();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarIndex.rebuild(x.index(), x.root(), out);
        assertThat(out.toByteArray()).isEqualTo(tar);
    }

    @Test
    void aChangedFileIsNoticedAtRebuild() throws Exception {
        byte[] tar = new TarBuilder().file("a", content(800, 16)).build();
        Indexed x = extract(tar);
        Files.writeString(x.root().resolve("a"), content(799, 17));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TarIndex.rebuild(x.index(), x.root(), out))
                .isInstanceOf(IOException.class).hasMessageContaining("shorter");
    }
}
