package dev.wharf.engine.image;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Gives memory back after heavy image work (load, save, pull, push, import, commit): once no such
 * work has run for {@link #IDLE_MILLIS}, the spare stream buffers that only such work needs are
 * dropped, and one full collection runs if that dropped any or the heap has grown by
 * {@link #WORTH} since the last one (an idle daemon must stay idle: a failed or tiny operation
 * costs no collection). The serial collector grows the heap
 * while gigabytes stream through it and shrinks it (to {@code MaxHeapFreeRatio}) only at a full
 * collection, which an idle daemon never reaches by itself; this one takes a few milliseconds on
 * the daemon's small live set and returns the rest to the system (with {@code -XX:-ShrinkHeapInSteps},
 * as bin/wharfd sets it, at once rather than over several collections). Spare buffers left in
 * the old generation would hold their MiBs there, and as much again in the young generation,
 * which bin/wharfd sizes to the old one.
 */
final class IdleCollector {

    static final long IDLE_MILLIS = 2000;
    /** Heap grown by less than this since the last collection is not worth one. */
    static final long WORTH = 8L << 20;

    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier dropSpares;
    private final Runnable collect;
    private final LongSupplier heapTotal;
    private final Consumer<Runnable> afterIdleTime;
    private volatile long baseline;

    /** {@code dropSpares} drops the buffers that only heavy work needs and returns the bytes it dropped. */
    IdleCollector(LongSupplier dropSpares) {
        this(dropSpares, System::gc, Runtime.getRuntime()::totalMemory, IdleCollector::afterIdleMillis);
    }

    /** The parts a unit test replaces: the collection, the heap's size, and the wait before a check. */
    IdleCollector(LongSupplier dropSpares, Runnable collect, LongSupplier heapTotal, Consumer<Runnable> afterIdleTime) {
        this.dropSpares = dropSpares;
        this.collect = collect;
        this.heapTotal = heapTotal;
        this.afterIdleTime = afterIdleTime;
        this.baseline = heapTotal.getAsLong();
    }

    private static void afterIdleMillis(Runnable check) {
        Thread.ofPlatform().daemon().name("idle-collector").start(() -> {
            try {
                Thread.sleep(IDLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            check.run();
        });
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
        afterIdleTime.accept(() -> {
            if (busy.get() != 0 || generation.get() != gen) {
                return; // more work came: its own end schedules the next check
            }
            long dropped = dropSpares.getAsLong();
            if (dropped > 0 || heapTotal.getAsLong() - baseline >= WORTH) {
                collect.run();
                baseline = heapTotal.getAsLong();
            }
        });
    }
}
