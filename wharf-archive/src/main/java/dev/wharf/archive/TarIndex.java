package dev.wharf.archive;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The bytes of a layer tar that are not file contents, so that the exact tar (the same sha256,
 * which is the layer's diff ID) can be rebuilt from the unpacked files instead of keeping a copy
 * of it: tar-split's idea, in a smaller form. Recorded while the layer is extracted
 * ({@link Extractor#extractLayer(InputStream, Path, Recorder)}).
 *
 * <p>On-disk format (big-endian), a sequence of records after the magic {@code WTI1}:
 * <pre>
 *   'R' u32 n, n bytes     raw tar bytes: headers, PAX and GNU long-name records, padding, the end
 *   'Z' u32 n              n zero bytes (zero runs inside raw bytes, and most padding)
 *   'F' u16 n, n bytes path, u64 size
 *                          the content of the regular file at path (UTF-8, relative to the
 *                          unpacked root), size bytes, read back from the unpacked tree
 *   'E' u64 total          the end; total is the length of the whole tar
 * </pre>
 * A layer in which an entry replaces or removes a file written earlier by the same layer cannot be
 * rebuilt from the tree (the earlier content is gone): the recorder notices before the file is
 * touched, rebuilds what it has so far into a plain tar copy and tees the rest of the stream to
 * it; {@link Recorder#keptTar()} then says so, and the index is not used.
 */
public final class TarIndex {

    private static final int MAGIC = 0x57544931; // "WTI1"
    private static final int MIN_ZERO_RUN = 32;

    private TarIndex() {
    }

    /**
     * Writes the tar that {@code index} describes, reading file contents under {@code root};
     * returns its sha256 as {@code sha256:<hex>} (the caller compares it with the diff ID).
     */
    public static String rebuild(Path index, Path root, OutputStream out) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[256 << 10];
        long written = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(index), 65536))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a tar index: " + index);
            }
            while (true) {
                int type = in.read();
                switch (type) {
                    case 'R' -> {
                        int n = in.readInt();
                        while (n > 0) {
                            int k = Math.min(n, buf.length);
                            in.readFully(buf, 0, k);
                            emit(out, sha, buf, k);
                            n -= k;
                            written += k;
                        }
                    }
                    case 'Z' -> {
                        int n = in.readInt();
                        java.util.Arrays.fill(buf, 0, Math.min(n, buf.length), (byte) 0);
                        while (n > 0) {
                            int k = Math.min(n, buf.length);
                            emit(out, sha, buf, k);
                            n -= k;
                            written += k;
                        }
                    }
                    case 'F' -> {
                        byte[] p = new byte[in.readUnsignedShort()];
                        in.readFully(p);
                        long size = in.readLong();
                        Path file = root.resolve(new String(p, StandardCharsets.UTF_8));
                        try (InputStream f = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                            long left = size;
                            while (left > 0) {
                                int k = f.read(buf, 0, (int) Math.min(buf.length, left));
                                if (k < 0) {
                                    throw new IOException("file " + file + " is shorter than the layer recorded");
                                }
                                emit(out, sha, buf, k);
                                left -= k;
                            }
                        }
                        written += size;
                    }
                    case 'E' -> {
                        long total = in.readLong();
                        if (total != written) {
                            throw new IOException("tar index " + index + " rebuilt " + written + " bytes, expected " + total);
                        }
                        return "sha256:" + HexFormat.of().formatHex(sha.digest());
                    }
                    case -1 -> throw new EOFException("tar index " + index + " ends without its end record");
                    default -> throw new IOException("tar index " + index + ": unknown record " + type);
                }
            }
        }
    }

    /** The length of the tar that {@code index} describes (read from its end record). */
    public static long size(Path index) throws IOException {
        try (var ch = Files.newByteChannel(index)) {
            if (ch.size() < 13) {
                throw new IOException("tar index " + index + " is truncated");
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(9);
            ch.position(ch.size() - 9);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read the end record
            }
            b.flip();
            if (b.get() != 'E') {
                throw new IOException("tar index " + index + " ends without its end record");
            }
            return b.getLong();
        }
    }

    private static void emit(OutputStream out, MessageDigest sha, byte[] b, int n) throws IOException {
        sha.update(b, 0, n);
        out.write(b, 0, n);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Watches a tar stream on its way to the tar parser and writes the index (or, after a
     * conflict, a full copy to {@code tarFile}). Used by one extraction on one thread.
     */
    public static final class Recorder {
        private final Path indexFile;
        private final Path tarFile;
        private Path root;
        private DataOutputStream index;
        private OutputStream tar;
        private final NavigableSet<String> files = new TreeSet<>();
        private byte[] raw = new byte[8192];
        private int rawLen;
        private long position;
        private long skipUntil;
        private long pendingSize = -1;
        private boolean closed;

        /** Writes the index to {@code indexFile}; a full copy would go to {@code tarFile}. */
        public Recorder(Path indexFile, Path tarFile) throws IOException {
            this.indexFile = indexFile;
            this.tarFile = tarFile;
            this.index = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(indexFile,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 65536));
            index.writeInt(MAGIC);
        }

        /** True when the layer could not be indexed and its tar was kept whole in {@code tarFile}. */
        public boolean keptTar() {
            return tar != null;
        }

        void root(Path root) {
            this.root = root;
        }

        /** The stream the tar parser reads: every byte passes through this recorder. */
        InputStream watch(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        seen(new byte[] {(byte) b}, 0, 1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        seen(b, off, n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
                    long done = 0;
                    while (done < n) {
                        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                        if (r < 0) {
                            break;
                        }
                        done += r;
                    }
                    return done;
                }

                @Override
                public boolean markSupported() {
                    return false;
                }
            };
        }

        private void seen(byte[] b, int off, int n) throws IOException {
            if (tar != null) {
                tar.write(b, off, n);
                position += n;
                return;
            }
            int inContent = (int) Math.max(0, Math.min(n, skipUntil - position));
            position += inContent;
            if (inContent < n) {
                appendRaw(b, off + inContent, n - inContent);
                position += n - inContent;
            }
        }

        private void appendRaw(byte[] b, int off, int n) {
            if (rawLen + n > raw.length) {
                raw = java.util.Arrays.copyOf(raw, Math.max(raw.length * 2, rawLen + n));
            }
            System.arraycopy(b, off, raw, rawLen, n);
            rawLen += n;
        }

        /**
         * The parser is at the start of a regular file's {@code size} content bytes, which the
         * extractor writes to disk; false when they cannot be left out (the stream read ahead).
         */
        boolean beginContent(long size) throws IOException {
            if (tar != null || size <= 0) {
                return false;
            }
            flushRaw();
            skipUntil = position + size;
            pendingSize = size;
            return true;
        }

        /** The content begun last went to {@code file} (under the root). */
        void endContent(Path file) throws IOException {
            if (pendingSize < 0) {
                return;
            }
            if (tar == null) {
                if (position != skipUntil) {
                    throw new IOException("the tar parser did not read the whole content of " + file);
                }
                String rel = root.relativize(file).toString();
                byte[] p = rel.getBytes(StandardCharsets.UTF_8);
                if (p.length > 65535) {
                    throw new IOException("path too long for the tar index: " + rel);
                }
                index.write('F');
                index.writeShort(p.length);
                index.write(p);
                index.writeLong(pendingSize);
                files.add(rel);
            }
            pendingSize = -1;
        }

        /** {@code path} (under the root) is about to be removed or replaced. */
        void beforeRemove(Path path) throws IOException {
            if (tar != null || files.isEmpty()) {
                return;
            }
            String rel = root.relativize(path).toString();
            boolean hit = files.contains(rel) || (rel.isEmpty() ? !files.isEmpty()
                    : !files.subSet(rel + "/", true, rel + "/\uffff", true).isEmpty());
            if (hit) {
                keepWholeTar();
            }
        }

        /**
         * Rebuilds the stream so far (every file recorded is still intact) into the tar copy and
         * tees the rest of the stream to it from now on.
         */
        private void keepWholeTar() throws IOException {
            flushRaw();
            index.write('E');
            index.writeLong(position); // a file begun (if any) has none of its content read yet
            index.close();
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(tarFile, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 20);
            try {
                rebuild(indexFile, root, out);
            } catch (IOException | RuntimeException e) {
                out.close();
                throw e;
            }
            Files.delete(indexFile);
            tar = out;
        }

        /** Writes the raw bytes held so far: runs of 32 or more zeros as 'Z', the rest as 'R'. */
        private void flushRaw() throws IOException {
            int i = 0;
            while (i < rawLen) {
                int run = -1;
                int j = i;
                while (j < rawLen) {
                    if (raw[j] != 0) {
                        j++;
                        continue;
                    }
                    int k = j;
                    while (k < rawLen && raw[k] == 0) {
                        k++;
                    }
                    if (k - j >= MIN_ZERO_RUN) {
                        run = j;
                        break;
                    }
                    j = k;
                }
                int rawEnd = run < 0 ? rawLen : run;
                if (rawEnd > i) {
                    index.write('R');
                    index.writeInt(rawEnd - i);
                    index.write(raw, i, rawEnd - i);
                }
                if (run < 0) {
                    break;
                }
                int k = run;
                while (k < rawLen && raw[k] == 0) {
                    k++;
                }
                index.write('Z');
                index.writeInt(k - run);
                i = k;
            }
            rawLen = 0;
            if (raw.length > 65536) {
                raw = new byte[8192];
            }
        }

        /** Ends the index (or the tar copy) and makes it durable on the next syncfs. */
        public void finish() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (tar != null) {
                tar.close();
                return;
            }
            flushRaw();
            index.write('E');
            index.writeLong(position);
            index.close();
        }

        /** Closes the files after a failure (the caller deletes the directory). */
        public void abort() {
            closed = true;
            try {
                index.close();
            } catch (IOException ignored) {
                // being discarded
            }
            if (tar != null) {
                try {
                    tar.close();
                } catch (IOException ignored) {
                    // being discarded
                }
            }
        }
    }
}
