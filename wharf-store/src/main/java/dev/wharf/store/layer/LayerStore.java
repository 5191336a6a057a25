package dev.wharf.store.layer;

import dev.wharf.archive.Extractor;
import dev.wharf.archive.TarIndex;
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
 *   layers/&lt;chain hex&gt;/tar-index the bytes of the layer's tar that are not file contents
 *                                  ({@link TarIndex}'s format): with diff/ it rebuilds the exact
 *                                  tar (its sha256 is the diff ID), so that save and push give back
 *                                  the same bytes without a second copy of the layer on disk
 *   layers/&lt;chain hex&gt;/layer.tar the whole tar instead, for the rare layer whose entries replace
 *                                  their own files (and for layers stored before the index existed)
 *                                  Neither is kept for a pulled layer, whose compressed blob the
 *                                  blob store keeps.
 *   layers/tmp-&lt;random&gt;/         a layer being unpacked; removed at start if left by a crash
 *   layers/trash-&lt;random&gt;/       a removed layer whose files are being deleted in the background;
 *                                  removed at start if a stop came first
 *   l/&lt;short id&gt; -&gt; ../layers/&lt;chain hex&gt;/diff   short names keep overlay's lowerdir= short
 * </pre>
 * Staged layers are made durable together: one {@code syncfs} of the data root, then the
 * directories are renamed into place, the parent directories fsynced once, and the rows inserted
 * in one transaction, so an image's layers cost one flush, not one per layer or file.
 */
public final class LayerStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Path layers;
    private final Path links;
    private final Database db;
    private final ChunkPool chunks = new ChunkPool(16);

    public record Layer(String chainId, String diffId, String parent, String shortId, long size) {
    }

    /** A layer unpacked into {@code layers/tmp-<random>/} (diff and layer.tar), not registered yet. */
    public record Staged(Path dir, String diffId, long size) {
    }

    /** Registration holds this shared; {@link #collect()} holds it exclusive. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock pins =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private final Path dataRoot;

    public LayerStore(Path dataRoot, Database db) throws IOException {
        this.dataRoot = dataRoot;
        this.layers = dataRoot.resolve("layers");
        this.links = dataRoot.resolve("l");
        this.db = db;
        Files.createDirectories(layers);
        Files.createDirectories(links);
    }

    /** Removes half-unpacked layers left by a crash, and removed layers whose deletion a stop cut short. */
    public void cleanup() throws IOException {
        try (var s = Files.list(layers)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("tmp-") || n.startsWith(TRASH)) {
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
     * Unpacks a layer tar (possibly compressed) into a temporary directory, with the index that
     * rebuilds the tar from the files. Nothing is registered; {@link #commit} or {@link #discard}
     * it. The input is read to its end but not closed.
     */
    public Staged stage(InputStream tar) throws IOException {
        return stage(tar, true);
    }

    /**
     * {@link #stage(InputStream)}, indexing the tar only when {@code keepTar}: a pulled layer has
     * its compressed blob in the blob store instead.
     *
     * <p>Two threads share the work: this one reads the input in 1 MiB chunks (from the network
     * or the archive being loaded) and hands them to a virtual thread that decompresses, hashes,
     * indexes and unpacks them. Nothing is flushed here: {@link #commit} flushes once for all the
     * layers of an image.
     */
    public Staged stage(InputStream tar, boolean keepTar) throws IOException {
        LayerStager st = stager(keepTar);
        try {
            st.writeAll(tar);
            return st.finish();
        } catch (IOException | RuntimeException e) {
            Throwable unpacker = st.abort();
            if (unpacker != null) {
                throw LayerStager.unwrap(unpacker); // the unpacker stopped first: its failure is the one to report
            }
            throw e;
        }
    }

    /**
     * Starts unpacking a layer from chunks the caller pushes ({@link LayerStager#write}), indexing
     * its tar when {@code keepTar}; a pull feeds it the chunks it downloads and hashes, so no thread
     * copies them in between.
     */
    public LayerStager stager(boolean keepTar) throws IOException {
        Path tmp = layers.resolve("tmp-" + randomId(16));
        Files.createDirectories(tmp.resolve("diff"));
        TarIndex.Recorder index = null;
        try {
            index = keepTar ? new TarIndex.Recorder(tmp.resolve(TAR_INDEX), tmp.resolve(LAYER_TAR)) : null;
            return new LayerStager(tmp, index, chunks);
        } catch (IOException | RuntimeException e) {
            if (index != null) {
                index.abort();
            }
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
    }

    /** The pool of 1 MiB arrays that layer streams go through (pulls use it too). */
    public ChunkPool chunks() {
        return chunks;
    }

    /**
     * Moves a staged layer into place on top of {@code parentChainId} and inserts its row; when
     * the layer is there already, the staged copy is left for the caller to discard. Call it
     * while holding a {@link #pin()}, and insert the image rows before releasing it.
     */
    public Layer commit(Staged s, String parentChainId) throws IOException {
        java.util.List<Layer> done = commit(java.util.Arrays.asList(s), java.util.Collections.singletonList(parentChainId));
        return done.getFirst();
    }

    /**
     * Commits a chain of layers at once: {@code staged.get(i)} goes on top of
     * {@code parents.get(i)}; a null entry, or a layer present already, is looked up instead (its
     * staged copy is left for the caller to discard). One {@code syncfs} makes every staged file
     * (and blob written before it) durable, the renames are made durable with one fsync of the
     * layers and links directories, and the rows go in one transaction. Call it while holding a
     * {@link #pin()}; returns the layers in order.
     */
    public synchronized List<Layer> commit(List<Staged> staged, List<String> parents) throws IOException {
        List<Layer> out = new ArrayList<>();
        List<Layer> added = new ArrayList<>();
        List<Staged> moving = new ArrayList<>();
        for (int i = 0; i < staged.size(); i++) {
            Staged s = staged.get(i);
            String chainId = s == null ? null : chainId(parents.get(i), s.diffId());
            Optional<Layer> existing = chainId == null ? Optional.empty() : get(chainId);
            if (s == null || existing.isPresent() || added.stream().anyMatch(l -> l.chainId().equals(chainId))) {
                out.add(existing.orElse(null));
                moving.add(null);
                continue;
            }
            Layer layer = new Layer(chainId, s.diffId(), parents.get(i), randomId(26), s.size());
            out.add(layer);
            added.add(layer);
            moving.add(s);
        }
        if (added.isEmpty()) {
            return out;
        }
        Extractor.syncFileSystem(dataRoot);
        for (int i = 0; i < moving.size(); i++) {
            Staged s = moving.get(i);
            if (s == null) {
                continue;
            }
            Layer layer = out.get(i);
            Path dest = dir(layer.chainId());
            if (Files.exists(dest)) {
                AtomicFiles.deleteTree(dest); // left by a crash before its row was inserted
            }
            Files.move(s.dir(), dest);
            Files.createSymbolicLink(links.resolve(layer.shortId()), Path.of("..", "layers", hex(layer.chainId()), "diff"));
        }
        AtomicFiles.fsyncDir(layers);
        AtomicFiles.fsyncDir(links);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO layers(chain_id, diff_id, parent, short_id, size) VALUES (?,?,?,?,?)")) {
                for (Layer layer : added) {
                    ps.setString(1, layer.chainId());
                    ps.setString(2, layer.diffId());
                    ps.setString(3, layer.parent());
                    ps.setString(4, layer.shortId());
                    ps.setLong(5, layer.size());
                    ps.executeUpdate();
                }
            }
            return null;
        });
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null && staged.get(i) != null) {
                String chainId = chainId(parents.get(i), staged.get(i).diffId());
                out.set(i, added.stream().filter(l -> l.chainId().equals(chainId)).findFirst().orElseThrow());
            }
        }
        return out;
    }

    /** Removes a staged layer if it is still there (it is gone once committed). */
    public void discard(Staged s) throws IOException {
        AtomicFiles.deleteTree(s.dir());
    }

    /**
     * The length of a layer's uncompressed tar when the store can give it back (a layer that came
     * in as a tar; a pulled layer has its compressed blob instead).
     */
    public Optional<Long> tarSize(String chainId) throws IOException {
        Path d = dir(chainId);
        if (Files.isRegularFile(d.resolve(LAYER_TAR))) {
            return Optional.of(Files.size(d.resolve(LAYER_TAR)));
        }
        if (Files.isRegularFile(d.resolve(TAR_INDEX))) {
            return Optional.of(TarIndex.size(d.resolve(TAR_INDEX)));
        }
        return Optional.empty();
    }

    /**
     * Writes a layer's uncompressed tar, byte for byte as it came in; rebuilt from the files
     * through its index, it is checked against the diff ID at the end (a mismatch throws, after
     * the bytes went out: the reader's own digest check then fails too).
     */
    public void writeTar(Layer layer, java.io.OutputStream out) throws IOException {
        Path d = dir(layer.chainId());
        if (Files.isRegularFile(d.resolve(LAYER_TAR))) {
            try (InputStream in = Files.newInputStream(d.resolve(LAYER_TAR))) {
                in.transferTo(out);
            }
            return;
        }
        String got = TarIndex.rebuild(d.resolve(TAR_INDEX), d.resolve("diff"), out);
        if (!got.equals(layer.diffId())) {
            throw new IOException("layer " + layer.chainId() + " no longer matches its diff ID " + layer.diffId()
                    + " (rebuilt " + got + "): its files were changed");
        }
    }

    /** A layer's uncompressed tar as a stream (rebuilt on a virtual thread when indexed). */
    public InputStream openTar(Layer layer) throws IOException {
        Path d = dir(layer.chainId());
        if (Files.isRegularFile(d.resolve(LAYER_TAR))) {
            return Files.newInputStream(d.resolve(LAYER_TAR));
        }
        ChunkPipe pipe = new ChunkPipe(4, chunks);
        Thread.ofVirtual().name("layer-tar").start(() -> {
            try (java.io.OutputStream o = new ChunkOut(pipe)) {
                writeTar(layer, o);
            } catch (IOException | RuntimeException e) {
                pipe.fail(e instanceof IOException io ? io : new IOException(e));
            }
        });
        return pipe.input();
    }

    /** Writes into a {@link ChunkPipe} in pooled chunks; closing ends the stream. */
    private final class ChunkOut extends java.io.OutputStream {
        private final ChunkPipe pipe;
        private byte[] cur = chunks.take();
        private int fill;

        ChunkOut(ChunkPipe pipe) {
            this.pipe = pipe;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (fill == cur.length) {
                    pipe.write(cur, fill);
                    cur = chunks.take();
                    fill = 0;
                }
                int n = Math.min(len, cur.length - fill);
                System.arraycopy(b, off, cur, fill, n);
                fill += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            if (fill > 0) {
                pipe.write(cur, fill);
            } else {
                chunks.give(cur);
            }
            pipe.close();
        }
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
    private static final String TAR_INDEX = "tar-index";
    /** A removed layer's directory, renamed so that its files can be deleted after the call returns. */
    private static final String TRASH = "trash-";

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
        if (unused.isEmpty()) {
            return 0;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM layers WHERE chain_id = ?")) {
                for (Layer l : unused) {
                    ps.setString(1, l.chainId());
                    ps.executeUpdate();
                }
            }
            return null;
        });
        long freed = 0;
        List<Path> trash = new ArrayList<>();
        for (Layer l : unused) {
            Files.deleteIfExists(links.resolve(l.shortId()));
            Path d = dir(l.chainId());
            if (Files.exists(d)) {
                Path t = layers.resolve(TRASH + randomId(16));
                Files.move(d, t);
                trash.add(t);
            }
            freed += l.size();
        }
        // unlinking hundreds of MB takes a while (more with discard mounts): the rows and names are
        // gone now, the files go in the background (and at the next start, if a stop cuts it short)
        Thread.ofVirtual().name("layer-delete").start(() -> {
            for (Path t : trash) {
                try {
                    AtomicFiles.deleteTree(t);
                } catch (IOException ignored) {
                    // removed at the next start
                }
            }
        });
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
