package dev.wharf.store.layer;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The 1 MiB arrays that pulls, loads and saves stream through, reused: allocating one per chunk
 * made the serial collector promote the arrays in flight at each young collection and grow the
 * old generation with dead ones (hundreds of MiB after one 200 MB load). A few spare arrays are
 * kept; the rest are dropped when given back.
 */
public final class ChunkPool {

    public static final int CHUNK = 1 << 20;

    private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spares = new AtomicInteger();
    private final int keep;

    /** Keeps at most {@code keep} spare arrays. */
    public ChunkPool(int keep) {
        this.keep = keep;
    }

    /** A {@link #CHUNK}-byte array (its content is garbage). */
    public byte[] take() {
        byte[] b = spare.poll();
        if (b == null) {
            return new byte[CHUNK];
        }
        spares.decrementAndGet();
        return b;
    }

    /** Drops the spare arrays (an idle daemon keeps none); returns the bytes they held. */
    public long clear() {
        long dropped = 0;
        for (byte[] b; (b = spare.poll()) != null;) {
            spares.decrementAndGet();
            dropped += b.length;
        }
        return dropped;
    }

    /** Gives an array back; the caller must not touch it afterwards. */
    public void give(byte[] b) {
        if (b == null || b.length != CHUNK) {
            return;
        }
        if (spares.incrementAndGet() <= keep) {
            spare.add(b);
        } else {
            spares.decrementAndGet();
        }
    }
}
