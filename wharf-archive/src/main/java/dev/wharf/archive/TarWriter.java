package dev.wharf.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a file or directory tree as a PAX tar, as moby's {@code archive.TarWithOptions} does:
 * modes (setuid, setgid and sticky included), uid and gid, mtimes truncated to the second,
 * symlinks (never followed), hardlinks (the second and later names of an inode), device nodes
 * and FIFOs, and xattrs as {@code SCHILY.xattr.*} PAX records (a value that is not valid UTF-8
 * goes as libarchive's base64 {@code LIBARCHIVE.xattr.*} instead, which {@link Extractor} reads).
 * Sockets are skipped. Children are written in name order, so the output is reproducible.
 */
public final class TarWriter {

    private TarWriter() {}

    private record Inode(long dev, long ino) {}

    /**
     * Writes {@code root} under the name {@code nameInTar}: a directory becomes
     * {@code nameInTar/} followed by its contents. With an empty name (or {@code .}) a directory's
     * contents are written at the top level, without an entry for the directory itself. The tar
     * is finished (trailer written) but {@code out} is left open.
     */
    public static void writeTree(Path root, String nameInTar, OutputStream out) throws IOException {
        String base = stripSlashes(nameInTar);
        if (base.equals(".")) {
            base = "";
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        new Walk(tar, false, rel -> false).write(root, base, true);
        tar.finish();
        tar.close();
    }

    /**
     * Writes an overlayfs upper directory as an image layer: a 0:0 character device (overlay's
     * whiteout) becomes an empty {@code .wh.<name>} file, a directory with
     * {@code trusted.overlay.opaque=y} gets a {@code .wh..wh..opq} entry, and overlay's own
     * {@code trusted.overlay.*} xattrs are left out. Paths for which {@code exclude} holds (relative,
     * without a leading slash) are skipped with everything under them. The tar is finished but
     * {@code out} is left open.
     */
    public static void writeLayer(Path upper, OutputStream out, java.util.function.Predicate<String> exclude)
            throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        new Walk(tar, true, exclude).write(upper, "", true);
        tar.finish();
        tar.close();
    }

    private static final class Walk {
        private final TarArchiveOutputStream tar;
        private final Map<Inode, String> seen = new HashMap<>();
        private final boolean layer;
        private final java.util.function.Predicate<String> exclude;

        Walk(TarArchiveOutputStream tar, boolean layer, java.util.function.Predicate<String> exclude) {
            this.tar = tar;
            this.layer = layer;
            this.exclude = exclude;
        }

        void write(Path path, String name, boolean top) throws IOException {
            Map<String, Object> a = Files.readAttributes(
                    path, "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            int type = mode & Posix.S_IFMT;
            if (!name.isEmpty() && exclude.test(name)) {
                return;
            }
            if (type == Posix.S_IFDIR) {
                if (!name.isEmpty()) {
                    put(path, entry(name + "/", TarConstants.LF_DIR, a), null);
                    if (layer && isOpaque(path)) {
                        TarArchiveEntry opq = entry(name + "/" + Extractor.WHITEOUT_OPAQUE, TarConstants.LF_NORMAL, a);
                        opq.setMode(0644);
                        tar.putArchiveEntry(opq);
                        tar.closeArchiveEntry();
                    }
                }
                List<Path> children;
                try (Stream<Path> s = Files.list(path)) {
                    children = s.sorted().toList();
                }
                for (Path child : children) {
                    String childName = child.getFileName().toString();
                    write(child, name.isEmpty() ? childName : name + "/" + childName, false);
                }
                return;
            }
            if (name.isEmpty()) {
                name = path.getFileName() == null ? "root" : path.getFileName().toString();
            }
            switch (type) {
                case Posix.S_IFREG -> {
                    Inode inode = new Inode((long) a.get("dev"), (long) a.get("ino"));
                    String first = (int) a.get("nlink") > 1 ? seen.putIfAbsent(inode, name) : null;
                    if (first != null) {
                        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, a);
                        e.setLinkName(first);
                        put(path, e, null);
                    } else {
                        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, a);
                        e.setSize((long) a.get("size"));
                        put(path, e, path);
                    }
                }
                case Posix.S_IFLNK -> {
                    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, a);
                    e.setLinkName(Files.readSymbolicLink(path).toString());
                    put(path, e, null);
                }
                case Posix.S_IFCHR, Posix.S_IFBLK -> {
                    if (layer && type == Posix.S_IFCHR && (long) a.get("rdev") == 0L) {
                        int slash = name.lastIndexOf('/');
                        String wh = name.substring(0, slash + 1) + Extractor.WHITEOUT_PREFIX + name.substring(slash + 1);
                        TarArchiveEntry e = entry(wh, TarConstants.LF_NORMAL, a);
                        e.setMode(0644);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                        return;
                    }
                    TarArchiveEntry e = entry(name, type == Posix.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK, a);
                    long rdev = (long) a.get("rdev");
                    e.setDevMajor(Posix.major(rdev));
                    e.setDevMinor(Posix.minor(rdev));
                    put(path, e, null);
                }
                case Posix.S_IFIFO -> put(path, entry(name, TarConstants.LF_FIFO, a), null);
                default -> {
                    // sockets are not archived, as in moby
                }
            }
        }

        private TarArchiveEntry entry(String name, byte flag, Map<String, Object> a) {
            TarArchiveEntry e = new TarArchiveEntry(name, flag);
            e.setMode((int) a.get("mode") & 07777);
            e.setUserId(Integer.toUnsignedLong((int) a.get("uid")));
            e.setGroupId(Integer.toUnsignedLong((int) a.get("gid")));
            e.setUserName("");
            e.setGroupName("");
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            e.setLastModifiedTime(FileTime.from(mtime.toInstant().getEpochSecond(), java.util.concurrent.TimeUnit.SECONDS));
            return e;
        }

        private void put(Path path, TarArchiveEntry e, Path content) throws IOException {
            addXattrs(path, e, layer);
            tar.putArchiveEntry(e);
            if (content != null) {
                long want = e.getSize();
                try (InputStream in = Files.newInputStream(content, LinkOption.NOFOLLOW_LINKS)) {
                    long copied = copy(in, want);
                    byte[] zeros = new byte[8192];
                    for (long left = want - copied; left > 0; left -= zeros.length) {
                        tar.write(zeros, 0, (int) Math.min(zeros.length, left)); // the file shrank meanwhile
                    }
                }
            }
            tar.closeArchiveEntry();
        }

        /** Copies at most {@code limit} bytes: a file that grows while archived is cut at its stat size. */
        private long copy(InputStream in, long limit) throws IOException {
            byte[] buf = new byte[65536];
            long total = 0;
            while (total < limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
                if (n < 0) {
                    break;
                }
                tar.write(buf, 0, n);
                total += n;
            }
            return total;
        }
    }

    static boolean isOpaque(Path dir) {
        try {
            byte[] v = Posix.lgetxattr(dir, Extractor.OPAQUE_XATTR);
            return v != null && v.length == 1 && v[0] == 'y';
        } catch (IOException e) {
            return false; // no xattrs here (ENOTSUP): not an overlay upper dir
        }
    }

    private static void addXattrs(Path path, TarArchiveEntry e, boolean layer) throws IOException {
        for (String attr : Posix.llistxattr(path)) {
            if (layer && attr.startsWith("trusted.overlay.")) {
                continue;
            }
            byte[] value = Posix.lgetxattr(path, attr);
            if (value == null) {
                continue;
            }
            String text = utf8(value);
            if (text != null) {
                e.addPaxHeader(EntryMaker.SCHILY_XATTR + attr, text);
            } else {
                e.addPaxHeader(EntryMaker.LIBARCHIVE_XATTR + URLEncoder.encode(attr, StandardCharsets.UTF_8),
                        Base64.getEncoder().encodeToString(value));
            }
        }
    }

    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String stripSlashes(String name) {
        String s = name;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }

    /** Keeps {@link TarArchiveOutputStream#close()} from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
