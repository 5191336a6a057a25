package dev.wharf.engine.image;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Gives memory back after heavy image work (load, save, pull, push, import, commit, build): once no such
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
 *
 * <p>While such work runs, the heap is also watched: the serial collector sizes its young
 * generation only at a full collection, so a daemon that starts heavy work with the small young
 * generation of its start promotes the buffers in flight at every young collection, and grows the
 * old generation by hundreds of MiB of dead ones (six pulls of a 317 MB image in a row peaked at
 * 373 MiB RSS). Once the heap has grown by {@link #GROWTH} since the last full collection, one
 * runs during the work: it drops that dead weight and sizes the young generation to the work.
 */
final class IdleCollector {

    static final long IDLE_MILLIS = 2000;
    /** Heap grown by less than this since the last collection is not worth one. */
    static final long WORTH = 8L << 20;
    /** While work runs, heap grown by this much since the last collection gets one. */
    static final long GROWTH = 32L << 20;
    /** How often the heap is looked at while work runs. */
    static final long WATCH_MILLIS = 500;

    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier dropSpares;
    private final Runnable collect;
    private final LongSupplier heapTotal;
    private final Consumer<Runnable> afterIdleTime;
    private final Consumer<BooleanSupplier> whileBusy;
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile long baseline;

    /** {@code dropSpares} drops the buffers that only heavy work needs and returns the bytes it dropped. */
    IdleCollector(LongSupplier dropSpares) {
        this(dropSpares, System::gc, Runtime.getRuntime()::totalMemory, IdleCollector::afterIdleMillis,
                IdleCollector::everyWatchMillis);
    }

    /**
     * The parts a unit test replaces: the collection, the heap's size, the wait before a check, and
     * the watch while work runs (it calls its check until that answers false).
     */
    IdleCollector(LongSupplier dropSpares, Runnable collect, LongSupplier heapTotal, Consumer<Runnable> afterIdleTime,
            Consumer<BooleanSupplier> whileBusy) {
        this.dropSpares = dropSpares;
        this.collect = collect;
        this.heapTotal = heapTotal;
        this.afterIdleTime = afterIdleTime;
        this.whileBusy = whileBusy;
        this.baseline = heapTotal.getAsLong();
    }

    private static void everyWatchMillis(BooleanSupplier check) {
        Thread.ofPlatform().daemon().name("heap-watch").start(() -> {
            do {
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            } while (check.getAsBoolean());
        });
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
        if (watching.compareAndSet(false, true)) {
            whileBusy.accept(this::watch);
        }
        return new Work();
    }

    /** One look at the heap while work runs; false (the watch ends) once no work runs. */
    private boolean watch() {
        if (busy.get() == 0) {
            watching.set(false);
            // work that began as the flag was still set found no watch to start: start one for it
            if (busy.get() == 0 || !watching.compareAndSet(false, true)) {
                return false;
            }
        }
        if (heapTotal.getAsLong() - baseline >= GROWTH) {
            collect.run();
            baseline = heapTotal.getAsLong();
        }
        return true;
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
