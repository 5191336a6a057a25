package dev.wharf.engine.image;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives memory back after heavy image work (load, save, pull, push, import, commit): once no such
 * work has run for {@link #IDLE_MILLIS}, one full collection, if the heap has grown by
 * {@link #WORTH} since the last one (an idle daemon must stay idle: a failed or tiny operation
 * costs no collection). The serial collector grows the heap
 * while gigabytes stream through it and shrinks it (to {@code MaxHeapFreeRatio}) only at a full
 * collection, which an idle daemon never reaches by itself; this one takes a few milliseconds on
 * the daemon's small live set and returns the rest to the system (with {@code -XX:-ShrinkHeapInSteps},
 * as bin/wharfd sets it, at once rather than over several collections).
 */
final class IdleCollector {

    static final long IDLE_MILLIS = 2000;
    /** Heap grown by less than this since the last collection is not worth one. */
    static final long WORTH = 8L << 20;

    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private final Runnable beforeCollect;
    private volatile long baseline = Runtime.getRuntime().totalMemory();

    /** {@code beforeCollect} drops caches that only heavy work needs (spare buffers). */
    IdleCollector(Runnable beforeCollect) {
        this.beforeCollect = beforeCollect;
    }

    /** Work in progress; close it when the work ends. */
    final class Work implements AutoCloseable {
        private boolean light;

        /** The work moved no data after all (a pull of an image that is up to date): no collection for it. */
        void light() {
            light = true;
        }

        @Override
        public void close() {
            if (busy.decrementAndGet() == 0 && !light) {
                schedule(generation.incrementAndGet());
            }
        }
    }

    Work busy() {
        busy.incrementAndGet();
        generation.incrementAndGet();
        return new Work();
    }

    private void schedule(long gen) {
        Thread.ofPlatform().daemon().name("idle-collector").start(() -> {
            try {
                Thread.sleep(IDLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (busy.get() == 0 && generation.get() == gen
                    && Runtime.getRuntime().totalMemory() - baseline >= WORTH) {
                beforeCollect.run();
                System.gc();
                baseline = Runtime.getRuntime().totalMemory();
            }
        });
    }
}
