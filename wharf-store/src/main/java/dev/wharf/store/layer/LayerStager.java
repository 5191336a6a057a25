package dev.wharf.store.layer;

import dev.wharf.archive.ExtractResult;
import dev.wharf.archive.Extractor;
import dev.wharf.archive.TarIndex;
import dev.wharf.base.fs.AtomicFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A layer being unpacked from chunks its caller pushes ({@link LayerStore#stager}): a virtual
 * thread decompresses, hashes (diff ID), indexes and unpacks what {@link #write} hands over, while
 * the caller goes on reading its source (the network, an archive). The caller's 1 MiB arrays are
 * passed on, not copied. {@link #finish} returns the {@link LayerStore.Staged} layer, to commit or
 * discard; {@link #abort} removes what was unpacked.
 */
public final class LayerStager {

    private final Path tmp;
    private final TarIndex.Recorder index;
    private final ChunkPool pool;
    private final ChunkPipe pipe;
    private final AtomicLong consumed = new AtomicLong();
    private final CompletableFuture<ExtractResult> unpacked = new CompletableFuture<>();
    private final Thread unpacker;
    private boolean ended;
    private boolean aborted;

    LayerStager(Path tmp, TarIndex.Recorder index, ChunkPool pool) {
        this.tmp = tmp;
        this.index = index;
        this.pool = pool;
        this.pipe = new ChunkPipe(4, pool);
        this.unpacker = Thread.ofVirtual().name("layer-unpack").start(this::unpack);
    }

    private void unpack() {
        try (InputStream in = new FilterInputStream(pipe.input()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    consumed.addAndGet(n);
                }
                return n;
            }
        }) {
            Path diff = tmp.resolve("diff");
            unpacked.complete(index == null ? Extractor.extractLayer(in, diff) : Extractor.extractLayer(in, diff, index));
        } catch (Throwable e) {
            unpacked.completeExceptionally(e);
        }
    }

    /**
     * Hands over {@code chunk[0..length)} (an array from the store's {@link ChunkPool}, which is the
     * unpacker's afterwards). When the unpacker has stopped (it failed, or the tar ended early) the
     * chunk goes back to the pool and its failure, if any, is thrown.
     */
    public void write(byte[] chunk, int length) throws IOException {
        if (pipe.readerGone()) {
            pool.give(chunk);
            failure();
            return;
        }
        try {
            pipe.write(chunk, length);
        } catch (IOException e) {
            if (pipe.readerGone()) {
                try {
                    unpacker.join(); // it is stopping: its own failure is the one to report
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                failure();
            }
            throw e;
        }
    }

    /**
     * Hands over everything {@code in} holds, in chunks from the pool, until its end or until the
     * unpacker stops reading; {@code in} is not closed.
     */
    public void writeAll(InputStream in) throws IOException {
        while (true) {
            byte[] chunk = pool.take();
            int n = in.readNBytes(chunk, 0, chunk.length);
            if (n <= 0 || done()) {
                pool.give(chunk);
                return;
            }
            write(chunk, n);
            if (n < chunk.length) {
                return;
            }
        }
    }

    /** Bytes the unpacker has read so far (compressed, as handed over). */
    public long consumed() {
        return consumed.get();
    }

    /** True once the unpacker has finished or failed. */
    public boolean done() {
        return unpacked.isDone();
    }

    /**
     * Ends the input (once) and waits up to {@code millis} for the unpacker; true when it has
     * finished. The caller reports {@link #consumed} meanwhile, then calls {@link #finish}.
     */
    public boolean end(long millis) throws IOException {
        if (!ended) {
            ended = true;
            if (!pipe.readerGone()) {
                pipe.close();
            }
        }
        try {
            unpacked.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
        return true;
    }

    /** Ends the input and waits for the unpacked layer. */
    public LayerStore.Staged finish() throws IOException {
        if (!ended) {
            ended = true;
            if (!pipe.readerGone()) {
                pipe.close();
            }
        }
        ExtractResult r;
        try {
            r = unpacked.join();
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        }
        return new LayerStore.Staged(tmp, r.diffId(), r.contentSize());
    }

    /**
     * Stops the unpacker and removes what it wrote (also after {@link #finish} failed). Returns the
     * unpacker's own failure when it had stopped on one before, else null.
     */
    public Throwable abort() throws IOException {
        if (aborted) {
            return null;
        }
        aborted = true;
        Throwable own = unpacked.isCompletedExceptionally() ? unpacked.exceptionNow() : null;
        if (!ended || !unpacked.isDone()) {
            pipe.fail(new IOException("staging failed"));
        }
        ended = true;
        try {
            unpacker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (index != null) {
            index.abort();
        }
        AtomicFiles.deleteTree(tmp);
        return own;
    }

    /** Throws the unpacker's failure when it has failed. */
    private void failure() throws IOException {
        if (unpacked.isCompletedExceptionally()) {
            throw unwrap(unpacked.exceptionNow());
        }
    }

    /** {@code t} as thrown: an IOException is returned, unchecked throwables are thrown. */
    static IOException unwrap(Throwable t) {
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
}
