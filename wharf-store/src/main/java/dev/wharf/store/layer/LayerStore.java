package dev.wharf.store.layer;

import dev.wharf.archive.ExtractResult;
import dev.wharf.archive.Extractor;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.Digest;
import dev.wharf.store.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Unpacked layers, each stored once and shared read-only through overlayfs. Layout under the data
 * root:
 * <pre>
 *   layers/&lt;chain hex&gt;/diff      the layer's files, whiteouts as overlay char devices 0:0
 *   layers/&lt;chain hex&gt;/layer.tar the layer's uncompressed tar as it came in (its sha256 is the
 *                                  diff ID), so that save gives back the same bytes; absent for a
 *                                  pulled layer, whose compressed blob the blob store keeps
 *   layers/tmp-&lt;random&gt;/         a layer being unpacked; removed at start if left by a crash
 *   l/&lt;short id&gt; -&gt; ../layers/&lt;chain hex&gt;/diff   short names keep overlay's lowerdir= short
 * </pre>
 * A layer directory is renamed into place complete, and its row is inserted only after that.
 */
public final class LayerStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Path layers;
    private final Path links;
    private final Database db;
    private final ChunkPool chunks = new ChunkPool(4);

    public record Layer(String chainId, String diffId, String parent, String shortId, long size) {
    }

    /** A layer unpacked into {@code layers/tmp-<random>/} (diff and layer.tar), not registered yet. */
    public record Staged(Path dir, String diffId, long size) {
    }

    /** Registration holds this shared; {@link #collect()} holds it exclusive. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock pins =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    public LayerStore(Path dataRoot, Database db) throws IOException {
        this.layers = dataRoot.resolve("layers");
        this.links = dataRoot.resolve("l");
        this.db = db;
        Files.createDirectories(layers);
        Files.createDirectories(links);
    }

    /** Removes half-unpacked layers left by a crash. */
    public void cleanup() throws IOException {
        try (var s = Files.list(layers)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith("tmp-")) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    /** Unpacks a layer tar (possibly compressed) on top of {@code parentChainId} (null for a base layer). */
    public Layer register(InputStream tar, String parentChainId) throws IOException {
        Staged s = stage(tar);
        try (Pin p = pin()) {
            return commit(s, parentChainId);
        } finally {
            discard(s);
        }
    }

    /**
     * Unpacks a layer tar (possibly compressed) into a temporary directory, keeping the
     * uncompressed tar beside it. Nothing is registered; {@link #commit} or {@link #discard} it.
     * The input is read to its end but not closed.
     *
     * <p>Two threads share the work: this one reads the (decompressed) bytes in large chunks and
     * writes them to {@code layer.tar}, and hands each chunk to a virtual thread that hashes and
     * unpacks it. Once both are done, one {@code syncfs} makes the layer durable.
     */
    public Staged stage(InputStream tar) throws IOException {
        return stage(tar, true);
    }

    /**
     * {@link #stage(InputStream)}, keeping the uncompressed tar beside the files only when
     * {@code keepTar}: a pulled layer has its compressed blob in the blob store instead.
     */
    public Staged stage(InputStream tar, boolean keepTar) throws IOException {
        if (!keepTar) {
            Path tmp = layers.resolve("tmp-" + randomId(16));
            Files.createDirectories(tmp.resolve("diff"));
            try {
                ExtractResult r = Extractor.extractLayer(new NonClosing(tar), tmp.resolve("diff"));
                Extractor.syncFileSystem(tmp);
                return new Staged(tmp, r.diffId(), r.size());
            } catch (IOException | RuntimeException e) {
                AtomicFiles.deleteTree(tmp);
                throw e;
            }
        }
        Path tmp = layers.resolve("tmp-" + randomId(16));
        Files.createDirectories(tmp.resolve("diff"));
        ChunkPipe pipe = new ChunkPipe(4, chunks);
        java.util.concurrent.CompletableFuture<ExtractResult> unpacked = new java.util.concurrent.CompletableFuture<>();
        Thread unpacker = Thread.ofVirtual().name("layer-unpack").start(() -> {
            try (InputStream in = pipe.input()) {
                unpacked.complete(Extractor.extractLayer(in, tmp.resolve("diff")));
            } catch (Throwable e) {
                unpacked.completeExceptionally(e);
            }
        });
        try {
            try (java.nio.channels.FileChannel keep = java.nio.channels.FileChannel.open(tmp.resolve(LAYER_TAR),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                InputStream plain = dev.wharf.archive.Compression.decompress(new NonClosing(tar));
                while (true) {
                    byte[] chunk = chunks.take();
                    int n = plain.readNBytes(chunk, 0, chunk.length);
                    if (n <= 0) {
                        chunks.give(chunk);
                        break;
                    }
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(chunk, 0, n);
                    while (bb.hasRemaining()) {
                        keep.write(bb);
                    }
                    if (!unpacked.isDone()) {
                        pipe.write(chunk, n);
                    } else {
                        chunks.give(chunk);
                    }
                    if (n < ChunkPool.CHUNK) {
                        break;
                    }
                }
                pipe.close();
            } catch (IOException | RuntimeException e) {
                pipe.fail(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                joinQuietly(unpacker);
                throw e;
            }
            ExtractResult r;
            try {
                r = unpacked.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw unwrap(e.getCause());
            }
            Extractor.syncFileSystem(tmp);
            return new Staged(tmp, r.diffId(), r.size());
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
    }

    /** The pool of 1 MiB arrays that layer streams go through (pulls use it too). */
    public ChunkPool chunks() {
        return chunks;
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static IOException unwrap(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }

    /**
     * Moves a staged layer into place on top of {@code parentChainId} and inserts its row; when
     * the layer is there already, the staged copy is left for the caller to discard. Call it
     * while holding a {@link #pin()}, and insert the image rows before releasing it.
     */
    public synchronized Layer commit(Staged s, String parentChainId) throws IOException {
        String chainId = chainId(parentChainId, s.diffId());
        Optional<Layer> existing = get(chainId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path dest = dir(chainId);
        if (Files.exists(dest)) {
            AtomicFiles.deleteTree(dest); // left by a crash before its row was inserted
        }
        Files.move(s.dir(), dest);
        AtomicFiles.fsyncDir(layers);
        String shortId = randomId(26);
        Files.createSymbolicLink(links.resolve(shortId), Path.of("..", "layers", hex(chainId), "diff"));
        Layer layer = new Layer(chainId, s.diffId(), parentChainId, shortId, s.size());
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO layers(chain_id, diff_id, parent, short_id, size) VALUES (?,?,?,?,?)")) {
                ps.setString(1, layer.chainId());
                ps.setString(2, layer.diffId());
                ps.setString(3, layer.parent());
                ps.setString(4, layer.shortId());
                ps.setLong(5, layer.size());
                ps.executeUpdate();
            }
            return null;
        });
        return layer;
    }

    /** Removes a staged layer if it is still there (it is gone once committed). */
    public void discard(Staged s) throws IOException {
        AtomicFiles.deleteTree(s.dir());
    }

    /** The uncompressed tar of a layer, if the store kept it (layers made before it did have none). */
    public Optional<Path> tar(String chainId) {
        Path p = dir(chainId).resolve(LAYER_TAR);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** The unpacked files of a layer. */
    public Path diffDir(String chainId) {
        return dir(chainId).resolve("diff");
    }

    /** Keeps {@link #collect()} away while layers are committed and their image rows inserted. */
    public Pin pin() {
        pins.readLock().lock();
        return () -> pins.readLock().unlock();
    }

    /** A held {@link #pin()}. */
    public interface Pin extends AutoCloseable {
        @Override
        void close();
    }

    private static final String LAYER_TAR = "layer.tar";

    /** Copies everything read to {@code out}. */
    private static final class Tee extends java.io.FilterInputStream {
        private final java.io.OutputStream out;

        Tee(InputStream in, java.io.OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                out.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                out.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
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
    }

    /** Leaves the caller's stream open when the extractor closes its input. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller closes it
        }
    }

    public static String chainId(String parentChainId, String diffId) {
        if (parentChainId == null) {
            return diffId;
        }
        return Digest.of((parentChainId + " " + diffId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Optional<Layer> get(String chainId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chain_id, diff_id, parent, short_id, size FROM layers WHERE chain_id = ?")) {
                ps.setString(1, chainId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Layer(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5))) : Optional.empty();
                }
            }
        });
    }

    /** The directories overlayfs stacks for these layers, top first, through their short links. */
    public List<Path> lowerDirs(List<String> chainIdsBottomUp) {
        List<Path> out = new ArrayList<>();
        for (int i = chainIdsBottomUp.size() - 1; i >= 0; i--) {
            Layer l = get(chainIdsBottomUp.get(i)).orElseThrow(
                    () -> new IllegalStateException("layer missing from the store"));
            out.add(links.resolve(l.shortId()));
        }
        return out;
    }

    /** Deletes layers that no image references any more; returns the bytes freed. */
    public long collect() throws IOException {
        pins.writeLock().lock();
        try {
            return collectLocked();
        } finally {
            pins.writeLock().unlock();
        }
    }

    private long collectLocked() throws IOException {
        List<Layer> unused = db.read(c -> {
            List<Layer> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chain_id, diff_id, parent, short_id, size FROM layers WHERE chain_id NOT IN "
                            + "(SELECT chain_id FROM image_layers)");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    l.add(new Layer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5)));
                }
            }
            return l;
        });
        long freed = 0;
        for (Layer l : unused) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM layers WHERE chain_id = ?")) {
                    ps.setString(1, l.chainId());
                    ps.executeUpdate();
                }
                return null;
            });
            Files.deleteIfExists(links.resolve(l.shortId()));
            AtomicFiles.deleteTree(dir(l.chainId()));
            freed += l.size();
        }
        return freed;
    }

    private Path dir(String chainId) {
        return layers.resolve(hex(chainId));
    }

    private static String hex(String digest) {
        return Digest.parse(digest).hex();
    }

    private static String randomId(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
