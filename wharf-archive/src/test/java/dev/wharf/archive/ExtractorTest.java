package dev.wharf.archive;

import static dev.wharf.archive.TestFs.perm;
import static dev.wharf.archive.TestFs.requireRoot;
import static dev.wharf.archive.TestFs.stat;
import static dev.wharf.archive.TestFs.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import dev.wharf.base.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractorTest {

    @TempDir
    Path tmp;

    private static ExtractResult layer(byte[] tar, Path target) throws IOException {
        return Extractor.extractLayer(new ByteArrayInputStream(tar), target);
    }

    @Tag("root")
    @Test
    void extractLayer_keepsTypesModesOwnersAndTimes() throws Exception {
        requireRoot();
        byte[] tar = new TarBuilder()
                .dir("etc", 0750)
                .file("etc/passwd", "root:x:0:0\n", 0640, e -> {
                    e.setUserId(1000);
                    e.setGroupId(1001);
                })
                .file("bin/su", "su", 04755, e -> {
                    e.setUserId(0);
                    e.setGroupId(0);
                })
                .file("bin/wall", "wall", 02755, e -> {
                    e.setUserId(7);
                    e.setGroupId(5);
                })
                .symlink("bin/sh", "su")
                .hardlink("etc/passwd-", "etc/passwd")
                .dir("tmp", 01777)
                .build();
        Path root = tmp.resolve("root");
        ExtractResult result = layer(tar, root);

        assertThat(result.entries()).isEqualTo(7);
        assertThat(Files.readString(root.resolve("etc/passwd"))).isEqualTo("root:x:0:0\n");
        assertThat(perm(root.resolve("etc"))).isEqualTo(0750);
        assertThat(perm(root.resolve("etc/passwd"))).isEqualTo(0640);
        assertThat(stat(root.resolve("etc/passwd")).get("uid")).isEqualTo(1000);
        assertThat(stat(root.resolve("etc/passwd")).get("gid")).isEqualTo(1001);
        assertThat(perm(root.resolve("bin/su"))).isEqualTo(04755);
        assertThat(perm(root.resolve("bin/wall"))).isEqualTo(02755);
        assertThat(stat(root.resolve("bin/wall")).get("uid")).isEqualTo(7);
        assertThat(perm(root.resolve("tmp"))).isEqualTo(01777);
        assertThat(perm(root.resolve("bin"))).as("missing parent created 0755").isEqualTo(0755);
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh")).toString()).isEqualTo("su");
        assertThat(stat(root.resolve("etc/passwd-")).get("ino")).isEqualTo(stat(root.resolve("etc/passwd")).get("ino"));
        long mtime = TarBuilder.MTIME.toInstant().getEpochSecond();
        assertThat(TestFs.mtimeSeconds(root.resolve("etc"))).as("dir mtime set after its contents").isEqualTo(mtime);
        assertThat(TestFs.mtimeSeconds(root.resolve("etc/passwd"))).isEqualTo(mtime);
        assertThat(TestFs.mtimeSeconds(root.resolve("bin/sh"))).as("symlink mtime").isEqualTo(mtime);
    }

    @Test
    void diffId_isSha256OfUncompressedTar_forPlainGzipAndZstd() throws Exception {
        byte[] tar = new TarBuilder().dir("a", 0755).file("a/b", "hello".repeat(1000)).build();
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar));

        ExtractResult plain = layer(tar, tmp.resolve("plain"));
        ExtractResult gzip = layer(compress(tar, GZIPOutputStream::new), tmp.resolve("gzip"));
        ExtractResult zstd = layer(compress(tar, ZstdOutputStream::new), tmp.resolve("zstd"));

        assertThat(plain.diffId()).isEqualTo(expected);
        assertThat(plain.size()).isEqualTo(tar.length);
        assertThat(gzip).isEqualTo(plain);
        assertThat(zstd).isEqualTo(plain);
        assertThat(Files.readString(tmp.resolve("zstd/a/b"))).isEqualTo("hello".repeat(1000));
    }

    @Test
    void diffId_coversTrailingBytesAfterTheEndOfArchive() throws Exception {
        byte[] tar = new TarBuilder().file("f", "x").build();
        byte[] padded = java.util.Arrays.copyOf(tar, tar.length + 10240 * 3);
        ExtractResult r = layer(padded, tmp.resolve("r"));
        assertThat(r.size()).isEqualTo(padded.length);
        assertThat(r.diffId()).isEqualTo(
                "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(padded)));
    }

    @Tag("root")
    @Test
    void extractLayer_whiteoutsBecomeCharDevicesAndOpaqueDirsGetXattr() throws Exception {
        requireRoot();
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("old"));
        Files.writeString(root.resolve("old/f"), "x");
        byte[] tar = new TarBuilder()
                .dir("a", 0755)
                .file("a/keep", "k")
                .file("a/.wh.gone", "")
                .file(".wh.old", "")
                .dir("b", 0755)
                .file("b/.wh..wh..opq", "")
                .dir(".wh..wh.plnk", 0700)
                .build();
        layer(tar, root);

        for (Path wh : new Path[] {root.resolve("a/gone"), root.resolve("old")}) {
            assertThat(type(wh)).as(wh.toString()).isEqualTo(Posix.S_IFCHR);
            assertThat(stat(wh).get("rdev")).isEqualTo(0L);
        }
        assertThat(Posix.lgetxattr(root.resolve("b"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(root.resolve("a/.wh.gone")).doesNotExist();
        assertThat(root.resolve("b/.wh..wh..opq")).doesNotExist();
        assertThat(root.resolve(".wh..wh.plnk")).doesNotExist();
        assertThat(root.resolve("a/keep")).hasContent("k");
    }

    @Test
    void extractPlain_keepsWhiteoutNamesAsFiles() throws Exception {
        byte[] tar = new TarBuilder().file(".wh.x", "data").build();
        Extractor.extractPlain(new ByteArrayInputStream(tar), tmp.resolve("r"), ExtractOptions.DEFAULTS);
        assertThat(tmp.resolve("r/.wh.x")).hasContent("data");
    }

    @Test
    void longNamesAndLinkNames() throws Exception {
        String dir = "d".repeat(120) + "/" + "e".repeat(90);
        String name = dir + "/" + "f".repeat(150);
        String linkTarget = "/" + "t".repeat(200);
        byte[] tar = new TarBuilder()
                .file(name, "long")
                .symlink(dir + "/link", linkTarget)
                .hardlink("h".repeat(130), name)
                .build();
        Path root = tmp.resolve("root");
        layer(tar, root);
        assertThat(root.resolve(name)).hasContent("long");
        assertThat(Files.readSymbolicLink(root.resolve(dir + "/link")).toString()).isEqualTo(linkTarget);
        assertThat(root.resolve("h".repeat(130))).hasContent("long");
    }

    @Test
    void xattrs_fromPaxHeaders() throws Exception {
        byte[] tar = new TarBuilder()
                .file("f", "x", 0644, e -> e.addPaxHeader("SCHILY.xattr.user.greeting", "hello"))
                .file("g", "x", 0644, e -> e.addPaxHeader("SCHILY.xattr.security.bogus", "ignored"))
                .build();
        Path root = tmp.resolve("root");
        layer(tar, root);
        assertThat(Posix.lgetxattr(root.resolve("f"), "user.greeting")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(root.resolve("g")).hasContent("x");
    }

    @Tag("root")
    @Test
    void fifoAndCharDevice() throws Exception {
        requireRoot();
        byte[] tar = new TarBuilder()
                .add("dev/null", TarConstants.LF_CHR, null, e -> {
                    e.setDevMajor(1);
                    e.setDevMinor(3);
                    e.setMode(0666);
                })
                .add("dev/loop300", TarConstants.LF_BLK, null, e -> {
                    e.setDevMajor(7);
                    e.setDevMinor(300);
                    e.setMode(0660);
                })
                .add("run/fifo", TarConstants.LF_FIFO, null, e -> e.setMode(0620))
                .build();
        Path root = tmp.resolve("root");
        layer(tar, root);
        assertThat(type(root.resolve("dev/null"))).isEqualTo(Posix.S_IFCHR);
        assertThat(perm(root.resolve("dev/null"))).isEqualTo(0666);
        assertThat(stat(root.resolve("dev/null")).get("rdev")).isEqualTo(Posix.makedev(1, 3));
        long rdev = (long) stat(root.resolve("dev/loop300")).get("rdev");
        assertThat(type(root.resolve("dev/loop300"))).isEqualTo(Posix.S_IFBLK);
        assertThat(Posix.major(rdev)).isEqualTo(7);
        assertThat(Posix.minor(rdev)).isEqualTo(300);
        assertThat(type(root.resolve("run/fifo"))).isEqualTo(Posix.S_IFIFO);
        assertThat(perm(root.resolve("run/fifo"))).isEqualTo(0620);
    }

    @Test
    void laterEntriesReplaceEarlierOnesOfAnotherType() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("x", 0755)
                .file("x/inner", "i")
                .file("x", "now a file")
                .file("y", "file")
                .dir("y", 0700)
                .file("s", "file")
                .symlink("s", "elsewhere")
                .build();
        Path root = tmp.resolve("root");
        layer(tar, root);
        assertThat(root.resolve("x")).isRegularFile().hasContent("now a file");
        assertThat(root.resolve("y")).isDirectory();
        assertThat(Files.isSymbolicLink(root.resolve("s"))).isTrue();
    }

    @Test
    void extractPlain_noOverwriteDirNonDir_refuses() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("f"), "x");
        ExtractOptions strict = new ExtractOptions(true, false);
        byte[] fileOverDir = new TarBuilder().file("d", "x").build();
        byte[] dirOverFile = new TarBuilder().dir("f", 0755).build();
        assertThatThrownBy(() -> Extractor.extractPlain(new ByteArrayInputStream(fileOverDir), root, strict))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("cannot overwrite directory");
        assertThatThrownBy(() -> Extractor.extractPlain(new ByteArrayInputStream(dirOverFile), root, strict))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("cannot overwrite non-directory");
        Extractor.extractPlain(new ByteArrayInputStream(fileOverDir), root, ExtractOptions.DEFAULTS);
        assertThat(root.resolve("d")).isRegularFile();
    }

    @Tag("root")
    @Test
    void extractPlain_withoutKeepOwnership_leavesOwnerAlone() throws Exception {
        requireRoot();
        byte[] tar = new TarBuilder().file("f", "x", 04755, e -> e.setUserId(4242)).build();
        Path root = tmp.resolve("root");
        Extractor.extractPlain(new ByteArrayInputStream(tar), root, new ExtractOptions(false, false));
        assertThat(stat(root.resolve("f")).get("uid")).isEqualTo(0);
        assertThat(perm(root.resolve("f"))).isEqualTo(04755);
    }

    @Test
    void sparseFiles_fromGnuTar() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        try (var raf = new java.io.RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
            raf.seek(1 << 20);
            raf.write("middle".getBytes(StandardCharsets.UTF_8));
            raf.setLength(4 << 20);
        }
        byte[] expected = Files.readAllBytes(src.resolve("sparse"));
        for (String format : new String[] {"gnu", "pax"}) {
            Path tarFile = tmp.resolve(format + ".tar");
            Process p = new ProcessBuilder("tar", "--sparse", "--format=" + format, "-cf", tarFile.toString(),
                            "-C", src.toString(), "sparse")
                    .inheritIO().start();
            assertThat(p.waitFor()).as("GNU tar must be installed for this test").isZero();
            Path root = tmp.resolve("out-" + format);
            try (var in = Files.newInputStream(tarFile)) {
                layer(in.readAllBytes(), root);
            }
            assertThat(Files.readAllBytes(root.resolve("sparse"))).as(format).isEqualTo(expected);
            Process stat = new ProcessBuilder("stat", "-c", "%b", root.resolve("sparse").toString()).start();
            long blocks = Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip());
            assertThat(blocks * 512).as(format + ": holes kept").isLessThan(1 << 20);
        }
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Compressor c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
