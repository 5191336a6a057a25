package dev.wharf.archive;

import static dev.wharf.archive.TestFs.requireRoot;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {

    @TempDir
    Path tmp;

    @Tag("root")
    @Test
    void writeTreeThenExtractPlain_reproducesTheTree() throws Exception {
        requireRoot();
        Path src = tmp.resolve("src");
        buildTree(src);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter.writeTree(src, "app", out);
        Path dst = tmp.resolve("dst");
        Extractor.extractPlain(new ByteArrayInputStream(out.toByteArray()), dst, ExtractOptions.DEFAULTS);

        assertThat(describe(dst.resolve("app"))).isEqualTo(describe(src));
        assertThat(TestFs.stat(dst.resolve("app/data/hard")).get("ino"))
                .isEqualTo(TestFs.stat(dst.resolve("app/data/file")).get("ino"));
    }

    @Test
    void writeTree_namesEntriesUnderThePrefix() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/f"), "x");
        Files.createSymbolicLink(src.resolve("link"), Path.of("/nowhere"));

        assertThat(names(src, "x/y/")).containsExactly("x/y/", "x/y/link", "x/y/sub/", "x/y/sub/f");
        assertThat(names(src, "")).containsExactly("link", "sub/", "sub/f");
        assertThat(names(src.resolve("sub/f"), "renamed")).containsExactly("renamed");
        assertThat(names(src.resolve("link"), "l")).containsExactly("l");
    }

    @Test
    void writeTree_ofEmptyNameOverDir_roundTripsContents() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("a"));
        Files.writeString(src.resolve("a/f"), "content");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter.writeTree(src, "", out);
        Path dst = tmp.resolve("dst");
        Extractor.extractPlain(new ByteArrayInputStream(out.toByteArray()), dst, ExtractOptions.DEFAULTS);
        assertThat(dst.resolve("a/f")).hasContent("content");
    }

    private static List<String> names(Path path, String nameInTar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter.writeTree(path, nameInTar, out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static void buildTree(Path src) throws IOException {
        FileTime old = FileTime.from(Instant.parse("2019-05-06T07:08:09Z"));
        Files.createDirectories(src.resolve("data/deep/er"));
        Files.writeString(src.resolve("data/file"), "content");
        Files.createLink(src.resolve("data/hard"), src.resolve("data/file"));
        Files.writeString(src.resolve("data/" + "long".repeat(40)), "long name");
        Files.writeString(src.resolve("data/deep/er/suid"), "#!/bin/sh\n");
        Posix.lchown(src.resolve("data/deep/er/suid"), 1234, 5678);
        Posix.chmod(src.resolve("data/deep/er/suid"), 06755);
        Posix.symlink("../file", src.resolve("data/deep/rel"));
        Posix.symlink("/abs/target", src.resolve("abs"));
        Posix.mknod(src.resolve("data/null"), Posix.S_IFCHR | 0666, 1, 3);
        Posix.mknod(src.resolve("data/fifo"), Posix.S_IFIFO | 0600, 0, 0);
        Posix.lsetxattr(src.resolve("data/file"), "user.text", "value".getBytes(StandardCharsets.UTF_8));
        Posix.lsetxattr(src.resolve("data/deep"), "user.binary", new byte[] {(byte) 0xff, 0, (byte) 0x80});
        Posix.chmod(src.resolve("data/deep"), 0700);
        Posix.chmod(src.resolve("data"), 01777);
        Posix.lchown(src.resolve("data"), 42, 43);
        for (Path p : walk(src)) {
            Posix.lutimes(p, old, old);
        }
    }

    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
        }
    }

    /** Relative path -> type, mode, owner, mtime, size, content or link target, rdev, xattrs. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path p : walk(root)) {
            Map<String, Object> st = TestFs.stat(p);
            StringBuilder d = new StringBuilder()
                    .append(Integer.toOctalString((int) st.get("mode")))
                    .append(' ').append(st.get("uid")).append(':').append(st.get("gid"))
                    .append(" t=").append(TestFs.mtimeSeconds(p));
            int type = (int) st.get("mode") & Posix.S_IFMT;
            if (type == Posix.S_IFREG) {
                d.append(" content=").append(Files.readString(p)).append(" nlink=").append(st.get("nlink"));
            } else if (type == Posix.S_IFLNK) {
                d.append(" -> ").append(Files.readSymbolicLink(p));
            } else if (type == Posix.S_IFCHR) {
                d.append(" rdev=").append(st.get("rdev"));
            }
            for (String x : Posix.llistxattr(p)) {
                d.append(' ').append(x).append('=')
                        .append(java.util.HexFormat.of().formatHex(Posix.lgetxattr(p, x)));
            }
            out.put(root.relativize(p).toString(), d.toString());
        }
        return out;
    }
}
