package dev.wharf.engine.build;

import dev.wharf.archive.Compression;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.fs.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A build context on disk: the uploaded tar (plain, gzip, bzip2, xz or zstd) unpacked once into
 * {@code root}, streamed, with the sha256 of every regular file taken as it is written. Those
 * hashes make COPY's cache key without reading a file twice. Entries under
 * {@link #SECRETS_PREFIX} carry {@code wharf build --secret} values when the request names them:
 * they are kept in memory for RUN --mount=type=secret and never written into the context.
 *
 * <p>A body that is not a tar is taken as a Dockerfile alone ({@code docker build - < Dockerfile}).
 */
final class ContextDir implements AutoCloseable {

    /** The reserved directory that carries secrets inside a context tar sent by {@code wharf build}. */
    static final String SECRETS_PREFIX = ".wharf-build-secrets/";

    /** One entry: type ('f' file, 'd' dir, 'l' symlink), mode bits, size, content hash or link target, mtime. */
    record Entry(char type, int mode, long size, String hash, long mtime) {
        Entry(char type, int mode, long size, String hash) {
            this(type, mode, size, hash, 0);
        }
    }

    final Path root;
    final NavigableMap<String, Entry> entries = new TreeMap<>();
    final Map<String, byte[]> secrets = new HashMap<>();
    long bytes;
    /** For a reused context: its manifest file and what the last build left there; null otherwise. */
    private final Path manifest;
    private final Map<String, Entry> previous;
    private final Runnable release;
    private final byte[] buffer = new byte[1 << 20];
    private final MessageDigest digest = dev.wharf.base.id.Digest.sha256();

    private ContextDir(Path root, Path manifest, Map<String, Entry> previous, Runnable release) {
        this.root = root;
        this.manifest = manifest;
        this.previous = previous;
        this.release = release;
    }

    static ContextDir extract(InputStream body, Path dir, Set<String> secretIds) throws IOException {
        Files.createDirectories(dir);
        ContextDir c = new ContextDir(dir.toRealPath(), null, null, () -> { });
        try {
            c.read(body, secretIds);
            c.prune();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Brings a context kept from an earlier build ({@code dir/root}, described by
     * {@code dir/manifest.json}) in line with this upload: a file whose hash did not change is not
     * written again, and paths the upload lacks are removed. So a rebuild after one file changed
     * writes one file. Any failure removes the kept context; {@code release} runs on close.
     */
    static ContextDir reuse(InputStream body, Path dir, Set<String> secretIds, Runnable release) throws IOException {
        Path root = dir.resolve("root");
        Path manifest = dir.resolve("manifest.json");
        Map<String, Entry> previous = new HashMap<>();
        try {
            if (Files.isRegularFile(manifest) && Files.isDirectory(root)) {
                previous.putAll(dev.wharf.model.Json.mapper().readValue(manifest.toFile(),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Entry>>() { }));
            } else {
                AtomicFiles.deleteTree(root);
            }
            Files.deleteIfExists(manifest); // written again when the build is done with it
        } catch (IOException | RuntimeException unreadable) {
            AtomicFiles.deleteTree(root);
            previous.clear();
        }
        Files.createDirectories(root);
        ContextDir c = new ContextDir(root.toRealPath(), manifest, previous, release);
        try {
            c.read(body, secretIds);
            c.prune();
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(root);
            c.release.run();
            throw e;
        }
        return c;
    }

    /** Removes what a reused context had and this upload does not, deepest first. */
    private void prune() throws IOException {
        if (previous == null) {
            return;
        }
        List<String> gone = new ArrayList<>();
        for (String p : previous.keySet()) {
            if (!entries.containsKey(p)) {
                gone.add(p);
            }
        }
        gone.sort(java.util.Comparator.reverseOrder());
        for (String p : gone) {
            Path f = root.resolve(p);
            if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) && !entries.subMap(p + "/", p + "/\uffff").isEmpty()) {
                continue; // still holds entries of this upload (an implied directory)
            }
            removeExisting(f);
        }
    }

    private void read(InputStream body, Set<String> secretIds) throws IOException {
        InputStream plain = Compression.decompress(body);
        BufferedInputStream in = plain instanceof BufferedInputStream b ? b : new BufferedInputStream(plain, 1 << 16);
        in.mark(1024);
        byte[] head = in.readNBytes(512);
        in.reset();
        if (head.length == 0) {
            return;
        }
        if (!isTar(head)) {
            writeFile("Dockerfile", in, 0644, 0, -1);
            return;
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(new Padded(in), StandardCharsets.UTF_8.name());
        List<Object[]> dirTimes = new ArrayList<>();
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String name = clean(e.getName());
            if (name.isEmpty()) {
                continue;
            }
            if (name.startsWith(SECRETS_PREFIX) && !secretIds.isEmpty()) {
                String id = name.substring(SECRETS_PREFIX.length());
                if (secretIds.contains(id) && e.isFile()) {
                    secrets.put(id, tar.readNBytes((int) Math.min(e.getSize(), 16 << 20)));
                }
                continue;
            }
            int mode = e.getMode() & 07777;
            if (e.isDirectory()) {
                Path d = safe(name);
                if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    removeExisting(d);
                    Files.createDirectory(d);
                }
                entries.put(name, new Entry('d', mode, 0, ""));
                dirTimes.add(new Object[] {d, mode, e.getModTime().getTime()});
            } else if (e.isSymbolicLink()) {
                Path l = safe(name);
                Entry was = previous == null ? null : previous.get(name);
                if (was == null || was.type() != 'l' || !was.hash().equals(e.getLinkName())
                        || !Files.isSymbolicLink(l)) {
                    removeExisting(l);
                    Files.createSymbolicLink(l, Path.of(e.getLinkName()));
                }
                entries.put(name, new Entry('l', 0777, 0, e.getLinkName()));
            } else if (e.isLink()) {
                String target = clean(e.getLinkName());
                Entry t = entries.get(target);
                if (t == null || t.type() != 'f') {
                    throw new InvalidArgumentException("invalid build context: hard link " + name + " to " + target
                            + " which is not a file in the context");
                }
                Path l = safe(name);
                removeExisting(l);
                Files.createLink(l, safe(target));
                entries.put(name, t);
            } else if (e.isFile()) {
                writeFile(name, tar, mode, e.getModTime().getTime(), e.getSize());
            }
        }
        in.transferTo(OutputStream.nullOutputStream());
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Object[] d = dirTimes.get(i);
            Files.setPosixFilePermissions((Path) d[0], perms((int) d[1]));
            Files.setLastModifiedTime((Path) d[0], FileTime.fromMillis((long) d[2]));
        }
    }

    /** Writes one file ({@code size} -1 when unknown), or only checks it when a reused context has it already. */
    private void writeFile(String name, InputStream in, int mode, long mtime, long size) throws IOException {
        Path f = safe(name);
        Entry was = previous == null ? null : previous.get(name);
        if (was != null && was.type() == 'f' && size >= 0 && was.size() == size && size <= buffer.length
                && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.size(f) == size) {
            int n = in.readNBytes(buffer, 0, (int) size);
            if (n == size) {
                digest.reset();
                digest.update(buffer, 0, n);
                String hash = HexFormat.of().formatHex(digest.digest());
                if (hash.equals(was.hash())) {
                    if (was.mode() != mode) {
                        Files.setPosixFilePermissions(f, perms(mode));
                    }
                    if (mtime > 0 && was.mtime() != mtime) {
                        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
                    }
                    bytes += n;
                    entries.put(name, new Entry('f', mode, n, hash, mtime));
                    return;
                }
            }
            write(f, Math.max(n, 0), in, name, mode, mtime);
            return;
        }
        write(f, 0, in, name, mode, mtime);
    }

    /** Writes the first {@code buffered} bytes of {@link #buffer}, then the rest of {@code in}. */
    private void write(Path f, int buffered, InputStream in, String name, int mode, long mtime) throws IOException {
        removeExisting(f);
        digest.reset();
        long size = buffered;
        try (OutputStream out = Files.newOutputStream(f)) {
            digest.update(buffer, 0, buffered);
            out.write(buffer, 0, buffered);
            byte[] buf = buffer;
            for (int n; (n = in.read(buf)) > 0;) {
                digest.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
        }
        Files.setPosixFilePermissions(f, perms(mode));
        if (mtime > 0) {
            Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
        }
        bytes += size;
        entries.put(name, new Entry('f', mode, size, HexFormat.of().formatHex(digest.digest()), mtime));
    }

    /**
     * Ends a tar whose writer stopped after the last entry's data, without its padding and the
     * two zero records: the docker CLI sends such a tar when it adds a Dockerfile from outside the
     * context, and Go's reader (so dockerd) accepts it. Zeros are supplied to the next record
     * boundary and for the end-of-archive records.
     */
    private static final class Padded extends java.io.FilterInputStream {
        private long count;
        private long padding = -1;

        Padded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (padding < 0) {
                int n = in.read(b, off, len);
                if (n >= 0) {
                    count += n;
                    return n;
                }
                padding = (512 - count % 512) % 512 + 1024;
            }
            if (padding == 0) {
                return -1;
            }
            int n = (int) Math.min(len, padding);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            padding -= n;
            return n;
        }
    }

    /** A tar header has "ustar" at 257, or at least a valid header checksum. */
    static boolean isTar(byte[] h) {
        if (h.length < 512) {
            return false;
        }
        if (h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r') {
            return true;
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : (h[i] & 0xff);
        }
        String field = new String(h, 148, 8, StandardCharsets.US_ASCII).trim().replace("\0", "");
        try {
            return !field.isEmpty() && Long.parseLong(field.trim(), 8) == sum;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A tar name as a clean relative path; a name that climbs out of the context is refused. */
    static String clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new InvalidArgumentException("invalid build context: " + name + " is outside the context");
                }
                parts.removeLast();
                continue;
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /** The path of {@code rel} under the root, its parents made real directories (never symlinks). */
    private Path safe(String rel) throws IOException {
        Path p = root;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            p = p.resolve(parts[i]);
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                removeExisting(p);
                Files.createDirectory(p);
            }
        }
        return p.resolve(parts[parts.length - 1]);
    }

    private static void removeExisting(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.deleteTree(p);
        } else {
            Files.deleteIfExists(p);
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }

    /** Removes an entry (and what is under it) from the context, as .dockerignore asks for Dockerfile and itself. */
    void remove(String rel) throws IOException {
        entries.subMap(rel + "/", rel + "/\uffff").clear();
        entries.remove(rel);
        removeExisting(root.resolve(rel));
    }

    /** The content checksum of {@code rel}: a file's hash, or a directory's entries with names, modes and hashes. */
    String checksum(String rel, MessageDigest md) {
        Entry self = rel.isEmpty() ? new Entry('d', 0755, 0, "") : entries.get(rel);
        if (self == null && !entries.subMap(rel + "/", rel + "/\uffff").isEmpty()) {
            self = new Entry('d', 0755, 0, ""); // a directory the tar only implies
        }
        if (self == null) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        s.append(rel).append('\0').append(self.type()).append(Integer.toOctalString(self.mode())).append('\0')
                .append(self.hash()).append('\n');
        if (self.type() == 'd') {
            var sub = rel.isEmpty() ? entries : entries.subMap(rel + "/", rel + "/\uffff");
            for (var e : sub.entrySet()) {
                Entry x = e.getValue();
                s.append(e.getKey()).append('\0').append(x.type()).append(Integer.toOctalString(x.mode()))
                        .append('\0').append(x.hash()).append('\n');
            }
        }
        md.update(s.toString().getBytes(StandardCharsets.UTF_8));
        return "ok";
    }

    @Override
    public void close() throws IOException {
        secrets.clear();
        if (manifest == null) {
            AtomicFiles.deleteTree(root);
            return;
        }
        try {
            Path tmp = manifest.resolveSibling(manifest.getFileName() + ".tmp");
            dev.wharf.model.Json.mapper().writeValue(tmp.toFile(), entries);
            Files.move(tmp, manifest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            release.run();
        }
    }
}
