package dev.wharf.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip writer that compresses 1 MiB blocks on several threads at once, as pigz does, and that
 * stores incompressible blocks instead of deflating them: the output is one ordinary gzip member
 * that every gunzip reads.
 *
 * <p>Each block is raw deflate, primed with the last 32 KiB of the block before it (so matches
 * reach back across blocks as in a single stream) and ended with a sync flush, so blocks are
 * byte-aligned and concatenate into one deflate stream; the last block carries the final bit.
 * A 256 KiB part whose samples do not shrink by a tenth (already compressed data: jars, images,
 * gzip files, random bytes) is written as stored blocks, which costs a copy instead of a futile
 * search for matches (deflate at level 1 runs at ~45 MB/s per core on such data, a copy at GB/s).
 * The decision depends on the bytes only, so the same input always gives the same output.
 *
 * <p>Blocks are compressed on {@code pool}; at most {@code inFlight} blocks are held, so memory
 * stays bounded (about 2.1 MiB per block in flight). Writes and {@link #close} happen on one
 * thread. Closing does not close {@code out}.
 */
public final class ParallelGzip extends OutputStream {

    static final int BLOCK = 1 << 20;
    private static final int DICT = 32 << 10;
    private static final int PART = 256 << 10;
    private static final int SAMPLE = 2 << 10;
    private static final int MAX_STORED = 65535;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final Executor pool;
    private final int level;
    private final int inFlight;
    private final CRC32 crc = new CRC32();
    private final ArrayDeque<FutureTask<Compressed>> pending = new ArrayDeque<>();
    /** Spare input blocks and output buffers, reused so a stream allocates O(inFlight) arrays. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spareIn = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spareOut = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private byte[] block = new byte[BLOCK];
    private int fill;
    private byte[] dict;
    private long total;
    private boolean headerWritten;
    private boolean closed;

    /** A compressed block: {@code data[0..length)}. */
    private record Compressed(byte[] data, int length) {
    }

    public ParallelGzip(OutputStream out, Executor pool, int level, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1");
        }
        this.out = out;
        this.pool = pool;
        this.level = level;
        this.inFlight = inFlight;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            if (fill == BLOCK) {
                submit(false);
            }
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, fill, n);
            crc.update(b, off, n);
            fill += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Reads {@code in} to its end straight into the blocks (no extra copy), telling
     * {@code progress} the bytes read so far after each read; returns that count.
     */
    public long transferFrom(java.io.InputStream in, java.util.function.LongConsumer progress) throws IOException {
        long start = total;
        while (true) {
            if (fill == BLOCK) {
                submit(false);
            }
            int n = in.read(block, fill, BLOCK - fill);
            if (n < 0) {
                return total - start;
            }
            crc.update(block, fill, n);
            fill += n;
            total += n;
            progress.accept(total - start);
        }
    }

    /** Compresses what is buffered, writes every block and the gzip trailer; {@code out} stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        submit(true);
        while (!pending.isEmpty()) {
            drainOne();
        }
        byte[] trailer = new byte[8];
        int c = (int) crc.getValue();
        int size = (int) total;
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (c >>> (8 * i));
            trailer[4 + i] = (byte) (size >>> (8 * i));
        }
        out.write(trailer);
    }

    private void submit(boolean last) throws IOException {
        if (!headerWritten) {
            out.write(HEADER);
            headerWritten = true;
        }
        byte[] input = block;
        int length = fill;
        byte[] previous = dict;
        dict = length >= DICT ? java.util.Arrays.copyOfRange(input, length - DICT, length) : null;
        FutureTask<Compressed> task = new FutureTask<>(() -> {
            byte[] buf = spareOut.poll();
            Compressed c = compress(input, length, previous, last, level, buf == null ? new byte[OUT_SIZE] : buf);
            spareIn.add(input);
            return c;
        });
        pending.add(task);
        pool.execute(task);
        if (last) {
            block = null;
        } else {
            byte[] spare = spareIn.poll();
            block = spare == null ? new byte[BLOCK] : spare;
        }
        fill = 0;
        while (pending.size() > inFlight || (!pending.isEmpty() && pending.peek().isDone())) {
            drainOne();
        }
    }

    private void drainOne() throws IOException {
        FutureTask<Compressed> t = pending.poll();
        Compressed c;
        try {
            c = t.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.forEach(p -> p.cancel(true));
            throw new InterruptedIOException("compression interrupted");
        } catch (ExecutionException e) {
            pending.forEach(p -> p.cancel(true));
            throw new IOException("compression failed: " + e.getCause(), e.getCause());
        }
        out.write(c.data(), 0, c.length());
        spareOut.add(c.data());
    }

    /** Room for one block, deflated (beyond zlib's bound) or stored (5 bytes per 64 KiB). */
    private static final int OUT_SIZE = BLOCK + BLOCK / 8 + 1024;

    /**
     * One block as raw deflate (or stored) into {@code buf}, byte-aligned; final when
     * {@code last}. Each 256 KiB part is judged by deflating two 2 KiB samples of it; runs of
     * parts that compress are deflated together, primed with the 32 KiB of input before them.
     */
    static Compressed compress(byte[] in, int length, byte[] dict, boolean last, int level, byte[] buf) {
        if (length == 0) {
            return stored(in, 0, 0, last, buf, 0);
        }
        int parts = (length + PART - 1) / PART;
        boolean[] deflate = new boolean[parts];
        Deflater sampler = new Deflater(level, true);
        try {
            byte[] scratch = new byte[2 * SAMPLE + 256];
            for (int p = 0; p < parts; p++) {
                int from = p * PART;
                int len = Math.min(PART, length - from);
                int sampled = 0;
                int packed = 0;
                for (int q = 1; q <= 3; q += 2) {
                    int at = from + Math.max(0, Math.min(len * q / 4, len - SAMPLE));
                    int n = Math.min(SAMPLE, from + len - at);
                    sampler.reset();
                    sampler.setInput(in, at, n);
                    packed += sampler.deflate(scratch, 0, scratch.length, Deflater.SYNC_FLUSH);
                    sampled += n;
                }
                deflate[p] = packed < sampled - sampled / 10;
            }
        } finally {
            sampler.end();
        }
        int o = 0;
        for (int p = 0; p < parts;) {
            int q = p;
            while (q < parts && deflate[q] == deflate[p]) {
                q++;
            }
            int from = p * PART;
            int to = Math.min(q * PART, length);
            boolean fin = last && q == parts;
            o = deflate[p] ? deflated(in, from, to, dict, fin, level, buf, o) : stored(in, from, to, fin, buf, o).length();
            p = q;
        }
        return new Compressed(buf, o);
    }

    /** Deflates {@code in[from..to)} into {@code buf} at {@code o}; returns the new end. */
    private static int deflated(byte[] in, int from, int to, byte[] dict, boolean fin, int level, byte[] buf, int o) {
        Deflater d = new Deflater(level, true);
        try {
            if (from >= DICT) {
                d.setDictionary(in, from - DICT, DICT);
            } else if (from == 0 && dict != null) {
                d.setDictionary(dict);
            } else if (from > 0) {
                d.setDictionary(in, 0, from);
            }
            d.setInput(in, from, to - from);
            if (!fin) {
                return deflateAll(d, buf, o, Deflater.SYNC_FLUSH);
            }
            d.finish();
            while (!d.finished()) {
                if (o == buf.length) {
                    throw new IllegalStateException("deflate output larger than its bound");
                }
                o += d.deflate(buf, o, buf.length - o);
            }
            return o;
        } finally {
            d.end();
        }
    }

    /** Deflates all pending input with {@code flush}; the buffer is sized beyond deflate's bound. */
    private static int deflateAll(Deflater d, byte[] buf, int n, int flush) {
        int k = d.deflate(buf, n, buf.length - n, flush);
        if (k == buf.length - n) {
            throw new IllegalStateException("deflate output larger than its bound");
        }
        return n + k;
    }

    /**
     * {@code in[from..to)} as stored blocks of at most 65535 bytes each into {@code buf} at
     * {@code o} (an empty final stored block for an empty range).
     */
    static Compressed stored(byte[] in, int from, int to, boolean last, byte[] buf, int o) {
        int i = from;
        do {
            int n = Math.min(MAX_STORED, to - i);
            boolean fin = last && i + n == to;
            buf[o++] = (byte) (fin ? 1 : 0);
            buf[o++] = (byte) n;
            buf[o++] = (byte) (n >>> 8);
            buf[o++] = (byte) ~n;
            buf[o++] = (byte) (~n >>> 8);
            System.arraycopy(in, i, buf, o, n);
            o += n;
            i += n;
        } while (i < to);
        return new Compressed(buf, o);
    }
}
