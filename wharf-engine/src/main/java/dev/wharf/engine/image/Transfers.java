package dev.wharf.engine.image;

import dev.wharf.base.id.Digest;
import dev.wharf.registry.RegistryException;
import dev.wharf.registry.Repository;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStager;
import dev.wharf.store.layer.LayerStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Layer blob downloads, shared by the pulls that need the same blob at the same time (moby's
 * {@code xfer}): one download per digest, watched by every pull that joined it. At most
 * {@code maxConcurrent} blobs download at once across the daemon; a layer waiting for a slot is
 * reported {@code Waiting}.
 *
 * <p>A download streams straight through: each 1 MiB chunk read from the registry is hashed and
 * appended to an ingest file on this thread, and handed to a second thread that decompresses,
 * hashes (diff ID) and unpacks it; so download, verification, decompression and unpacking overlap,
 * and no blob is ever held whole in memory. The blob is renamed into the blob store only when its
 * digest and size match the manifest; otherwise both the ingest file and the unpacked files are
 * dropped. A blob already in the store (from an earlier, interrupted pull) is unpacked from there,
 * its digest checked again on the way. Nothing is flushed here: the pull's commit makes the blobs
 * and the unpacked layers durable with one {@code syncfs} ({@link LayerStore#commit(List, List)}).
 * Once the download is complete the unpacker's progress is reported as {@code Extracting}.
 */
final class Transfers implements AutoCloseable {

    private static final int CHUNK = dev.wharf.store.layer.ChunkPool.CHUNK;

    private final BlobStore blobs;
    private final LayerStore layers;
    private final Semaphore slots;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blob-transfer");
        t.setDaemon(true);
        return t;
    });
    private final Map<Digest, Transfer> running = new ConcurrentHashMap<>();

    /** What a pull hears of a transfer it joined. */
    interface Watcher {
        void waiting();

        void downloading(long current, long total);

        void downloaded();

        /** The unpacker has read {@code current} of the blob's {@code total} bytes. */
        void extracting(long current, long total);
    }

    /** A blob fetched into the store and unpacked (the unpacked copy is {@link Transfer#takeStaged}). */
    record Fetched(Digest blob, String diffId, long size, boolean downloaded) {
    }

    final class Transfer {
        final Digest digest;
        final long size;
        final CompletableFuture<Fetched> done = new CompletableFuture<>();
        final List<Watcher> watchers = new CopyOnWriteArrayList<>();
        final AtomicReference<LayerStore.Staged> staged = new AtomicReference<>();
        private int refs;
        /** Set when the last pull left before the blob was in: the download stops. */
        private volatile boolean cancelled;
        /** The registry's response body while downloading; closed to end a read a cancel interrupts. */
        private volatile InputStream body;

        Transfer(Digest digest, long size) {
            this.digest = digest;
            this.size = size;
        }

        /** The unpacked layer, to the first who asks; null after that (unpack again from the blob). */
        LayerStore.Staged takeStaged() {
            return staged.getAndSet(null);
        }
    }

    Transfers(BlobStore blobs, LayerStore layers, int maxConcurrent) {
        this.blobs = blobs;
        this.layers = layers;
        this.slots = new Semaphore(maxConcurrent, true);
    }

    /** Joins the transfer of {@code digest}, starting it when none runs; {@link #leave} it after. */
    Transfer join(Digest digest, long size, Repository repo, Watcher w) {
        synchronized (running) {
            Transfer t = running.get(digest);
            boolean start = t == null;
            if (start) {
                t = new Transfer(digest, size);
                running.put(digest, t);
            }
            t.refs++;
            t.watchers.add(w);
            if (start) {
                Transfer started = t;
                pool.execute(() -> run(started, repo));
            }
            return t;
        }
    }

    /**
     * Leaves a transfer. The last to leave drops an unpacked copy nobody took, and stops the
     * download when it is not done (its pulls' clients went away): what was read is dropped.
     */
    void leave(Transfer t, Watcher w) {
        LayerStore.Staged left = null;
        boolean cancel = false;
        synchronized (running) {
            t.watchers.remove(w);
            if (--t.refs == 0) {
                running.remove(t.digest, t);
                left = t.takeStaged();
                cancel = !t.done.isDone();
                t.cancelled = cancel;
            }
        }
        if (cancel) {
            closeQuietly(t.body); // outside the lock: other pulls join and leave meanwhile
        }
        if (left != null) {
            try {
                layers.discard(left);
            } catch (IOException ignored) {
                // removed at the next start
            }
        }
    }

    /**
     * Unpacks a blob that is in the store (nobody else's copy was left), checking its digest on
     * the way: a blob renamed into the store is flushed only with the image that first used it,
     * so one left by a pull that never finished may have been cut short by a power loss. A blob
     * that does not match is deleted and {@link BlobMismatch} thrown.
     */
    LayerStore.Staged unpackStored(Digest blob) throws IOException {
        return unpackStored(blob, null);
    }

    private LayerStore.Staged unpackStored(Digest blob, Transfer t) throws IOException {
        long total = blobs.size(blob);
        java.security.MessageDigest sha = Digest.sha256();
        LayerStore.Staged s;
        try (InputStream in = new java.security.DigestInputStream(blobs.open(blob), sha)) {
            s = layers.stage(in, false);
        }
        if (!new Digest(java.util.HexFormat.of().formatHex(sha.digest())).equals(blob)) {
            layers.discard(s);
            blobs.delete(blob);
            throw new BlobMismatch();
        }
        if (t != null) {
            t.watchers.forEach(Watcher::downloaded);
            t.watchers.forEach(x -> x.extracting(total, total));
        }
        return s;
    }

    /** A stored blob did not match its digest (and was deleted). */
    static final class BlobMismatch extends IOException {
        BlobMismatch() {
            super("a stored blob does not match its digest");
        }
    }

    private void run(Transfer t, Repository repo) {
        Digest d = t.digest;
        try {
            if (blobs.exists(d)) {
                blobs.lease(d);
                try {
                    LayerStore.Staged s = unpackStored(d, t);
                    t.staged.set(s);
                    t.done.complete(new Fetched(d, s.diffId(), s.size(), false));
                    return;
                } catch (BlobMismatch | java.nio.file.NoSuchFileException e) {
                    blobs.release(d); // fetch it again
                }
            }
            if (!slots.tryAcquire()) {
                t.watchers.forEach(Watcher::waiting);
                slots.acquire();
            }
            try {
                checkCancelled(t);
                LayerStore.Staged s = download(t, d, repo);
                t.staged.set(s);
                t.done.complete(new Fetched(d, s.diffId(), s.size(), true));
            } finally {
                slots.release();
            }
        } catch (Throwable e) {
            t.done.completeExceptionally(e);
        }
    }

    private LayerStore.Staged download(Transfer t, Digest d, Repository repo) throws Exception {
        LayerStager stager = layers.stager(false);
        boolean ok = false;
        try (BlobStore.Writer w = blobs.writer()) {
            Repository.Blob b = repo.openBlob(t.digest.toString(), 0);
            long total = t.size > 0 ? t.size : b.size();
            try (InputStream in = b.in()) {
                t.body = in;
                while (true) {
                    checkCancelled(t);
                    byte[] chunk = layers.chunks().take();
                    int n = in.readNBytes(chunk, 0, CHUNK);
                    if (n <= 0) {
                        layers.chunks().give(chunk);
                        break;
                    }
                    w.write(chunk, 0, n);
                    if (t.size > 0 && w.size() > t.size) {
                        layers.chunks().give(chunk);
                        throw mismatch(t.digest);
                    }
                    stager.write(chunk, n); // the unpacker's now (back to the pool once it stopped)
                    long cur = w.size();
                    t.watchers.forEach(x -> x.downloading(cur, total));
                    if (n < CHUNK) {
                        break;
                    }
                }
            } catch (IOException e) {
                checkCancelled(t);
                if (stager.done()) {
                    Throwable own = stager.abort();
                    if (own != null) {
                        throw own instanceof Exception ex ? ex : new IOException(own);
                    }
                }
                throw new RegistryException(RegistryException.Kind.UNREACHABLE, -1,
                        "failed to download " + t.digest + ": " + e.getMessage(), e);
            }
            Digest got = w.digest();
            if (!got.equals(d) || (t.size > 0 && w.size() != t.size)) {
                throw mismatch(t.digest);
            }
            w.publish(d);
            t.watchers.forEach(Watcher::downloaded);
            long blobSize = w.size();
            while (!stager.end(200)) {
                long cur = Math.min(stager.consumed(), blobSize);
                t.watchers.forEach(x -> x.extracting(cur, blobSize));
            }
            LayerStore.Staged s = stager.finish();
            t.watchers.forEach(x -> x.extracting(blobSize, blobSize));
            ok = true;
            return s;
        } finally {
            if (!ok) {
                stager.abort();
            }
        }
    }

    private static void checkCancelled(Transfer t) throws CancellationException {
        if (t.cancelled) {
            throw new CancellationException("the download of " + t.digest + " was cancelled: no pull waits for it");
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // the download stops at its next read either way
            }
        }
    }

    private static RegistryException mismatch(Digest digest) {
        return new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, 200,
                "filesystem layer verification failed for digest " + digest);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
