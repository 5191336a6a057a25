package dev.wharf.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class IdleCollectorTest {

    private final List<Runnable> checks = new ArrayList<>();
    private final AtomicInteger collections = new AtomicInteger();
    private final AtomicLong spareBytes = new AtomicLong();
    private final AtomicLong heap = new AtomicLong(100L << 20);
    private final List<BooleanSupplier> watches = new ArrayList<>();
    private final IdleCollector idle = new IdleCollector(() -> spareBytes.getAndSet(0), collections::incrementAndGet,
            heap::get, checks::add, watches::add);

    @Test
    void spareBuffersLeftByWork_areDroppedAndCollected_evenWhenTheHeapDidNotGrow() {
        idle.busy().close();
        spareBytes.set(6L << 20);

        runChecks();

        assertThat(spareBytes.get()).isZero();
        assertThat(collections.get()).isEqualTo(1);
    }

    @Test
    void aGrownHeap_isCollected_andBecomesTheNextBaseline() {
        idle.busy().close();
        heap.addAndGet(IdleCollector.WORTH);
        runChecks();
        assertThat(collections.get()).isEqualTo(1);

        idle.busy().close();
        heap.addAndGet(IdleCollector.WORTH / 2);
        runChecks();
        assertThat(collections.get()).isEqualTo(1);
    }

    @Test
    void workThatLeftNothing_costsNoCollection() {
        idle.busy().close();
        heap.addAndGet(IdleCollector.WORTH - 1);
        runChecks();
        assertThat(collections.get()).isZero();
    }

    @Test
    void workThatMovedNoData_schedulesNoCheck() {
        IdleCollector.Work w = idle.busy();
        w.light();
        w.close();
        assertThat(checks).isEmpty();
    }

    @Test
    void onlyTheCheckAfterTheLastWork_collects() {
        spareBytes.set(1L << 20);
        idle.busy().close();
        IdleCollector.Work second = idle.busy();
        runChecks(); // the first check finds work in progress
        assertThat(collections.get()).isZero();
        assertThat(spareBytes.get()).isEqualTo(1L << 20);

        second.close();
        runChecks();
        assertThat(collections.get()).isEqualTo(1);
    }

    @Test
    void aHeapThatGrowsWhileWorkRuns_isCollectedDuringTheWork_onceForEachGrowth() {
        IdleCollector.Work w = idle.busy();
        assertThat(watches).hasSize(1);
        BooleanSupplier watch = watches.getFirst();

        heap.addAndGet(IdleCollector.GROWTH - 1);
        assertThat(watch.getAsBoolean()).isTrue();
        assertThat(collections.get()).isZero();

        heap.addAndGet(1);
        assertThat(watch.getAsBoolean()).isTrue();
        assertThat(collections.get()).isEqualTo(1);
        assertThat(watch.getAsBoolean()).isTrue();
        assertThat(collections.get()).as("the collection set a new baseline").isEqualTo(1);

        w.close();
        assertThat(watch.getAsBoolean()).as("no work: the watch ends").isFalse();
    }

    @Test
    void oneWatch_coversOverlappingWork_andANewOneStartsAfterItEnded() {
        IdleCollector.Work a = idle.busy();
        IdleCollector.Work b = idle.busy();
        assertThat(watches).hasSize(1);
        a.close();
        assertThat(watches.getFirst().getAsBoolean()).isTrue();
        b.close();
        assertThat(watches.getFirst().getAsBoolean()).isFalse();

        idle.busy().close();
        assertThat(watches).hasSize(2);
    }

    private void runChecks() {
        List<Runnable> due = new ArrayList<>(checks);
        checks.clear();
        due.forEach(Runnable::run);
    }
}
