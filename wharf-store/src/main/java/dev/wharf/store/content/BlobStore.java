package dev.wharf.store.content;

import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content by digest. Layout under the data root:
 * <pre>
 *   blobs/sha256/&lt;hex&gt;     manifests, image configs, compressed layer blobs; a file here is complete
 *                          and its sha256 is its name
 *   ingest/&lt;hex&gt;-&lt;rand&gt;  a blob being written (downloaded, compressed for a push); removed at start
 * </pre>
 * A blob is written to an ingest file while it is hashed, checked against the digest it must have,
 * fsynced and renamed into place ({@link Writer#commit}), or renamed now and flushed later with the
 * image that uses it ({@link Writer#publish}); writing a blob that already exists is not an error. Blobs in
 * use by an operation that has not recorded them yet are {@linkplain #lease leased}, so that
 * {@link #collect} leaves them alone.
 */
public final class BlobStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path ingest;
    private final Map<String, Integer> leases = new ConcurrentHashMap<>();

    public BlobStore(Path dataRoot) throws IOException {
        this.dir = dataRoot.resolve("blobs").resolve("sha256");
        this.ingest = dataRoot.resolve("ingest");
        Files.createDirectories(dir);
        Files.createDirectories(ingest);
    }

    /** Removes the half-written blobs a crash left; complete blobs stay, for the next pull to reuse. */
    public void cleanup() throws IOException {
        try (var s = Files.list(ingest)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Digest put(byte[] data) throws IOException {
        Digest d = Digest.of(data);
        Path p = path(d);
        if (!Files.exists(p)) {
            AtomicFiles.write(p, data);
        }
        return d;
    }

    public Optional<byte[]> get(Digest d) throws IOException {
        Path p = path(d);
        return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    }

    public boolean exists(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public long size(Digest d) throws IOException {
        return Files.size(path(d));
    }

    public InputStream open(Digest d) throws IOException {
        return Files.newInputStream(path(d));
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    public Path path(Digest d) {
        return dir.resolve(d.hex());
    }

    /** Starts writing a blob whose digest is known only at the end (or is checked then). */
    public Writer writer() throws IOException {
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        Path tmp = ingest.resolve("blob-" + HexFormat.of().formatHex(r));
        return new Writer(tmp);
    }

    /** A blob being written: bytes go to an ingest file and through sha256. */
    public final class Writer implements AutoCloseable {
        private final Path tmp;
        private final FileChannel ch;
        private final MessageDigest sha = Digest.sha256();
        private long size;
        private boolean done;

        private Writer(Path tmp) throws IOException {
            this.tmp = tmp;
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        public void write(byte[] b, int off, int len) throws IOException {
            sha.update(b, off, len);
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            size += len;
        }

        public long size() {
            return size;
        }

        /** The digest of what was written so far (ends the hashing: call once, at the end). */
        public Digest digest() {
            return new Digest(HexFormat.of().formatHex(sha.digest()));
        }

        /**
         * Fsyncs and renames the blob into place under {@code d}, which must be the digest of its
         * bytes (the caller checks with {@link #digest()}); the blob stays leased for the caller.
         */
        public void commit(Digest d) throws IOException {
            ch.force(false);
            ch.close();
            lease(d);
            Path p = path(d);
            if (Files.exists(p)) {
                Files.deleteIfExists(tmp);
            } else {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDir(dir);
            }
            done = true;
        }

        /**
         * Renames the blob into place under {@code d} without flushing it: for blobs that an image
         * commit flushes together with its layers (one {@code syncfs} before any row names them).
         * Until then a power loss may leave it short, so whoever reuses a blob no row names checks
         * its digest. The blob stays leased for the caller.
         */
        public void publish(Digest d) throws IOException {
            ch.close();
            lease(d);
            Path p = path(d);
            if (Files.exists(p)) {
                Files.deleteIfExists(tmp);
            } else {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
            }
            done = true;
        }

        /** Drops the ingest file unless committed. */
        @Override
        public void close() throws IOException {
            if (!done) {
                ch.close();
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Keeps {@code d} from {@link #collect} until {@link #release}; counted. */
    public void lease(Digest d) {
        leases.merge(d.hex(), 1, Integer::sum);
    }

    public void release(Digest d) {
        leases.computeIfPresent(d.hex(), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Deletes every blob not in {@code keep} (digests) and not leased; returns the bytes freed. */
    public long collect(Set<String> keep) throws IOException {
        long freed = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String hex = p.getFileName().toString();
                if (hex.length() != 64 || keep.contains("sha256:" + hex) || leases.containsKey(hex)) {
                    continue;
                }
                long size = Files.size(p);
                if (Files.deleteIfExists(p)) {
                    freed += size;
                }
            }
        }
        return freed;
    }
}
