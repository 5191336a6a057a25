package dev.wharf.builder.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the output of stages that build in parallel in Docker's order: the stage at the head
 * writes through at once; the others are held until every stage before them is done. A stage
 * that failed stays the head: what stages after it wrote is held, as Docker's builder, one stage
 * after the other, would never have run them; {@link #flushThrough} then writes what the failure
 * that is reported needs. A held stage's pull keeps its status lines, not its byte counts.
 */
final class OrderedOutput {

    private final BuildOutput sink;
    private final List<Integer> order;
    private final Map<Integer, List<Consumer<BuildOutput>>> held = new HashMap<>();
    private final Set<Integer> done = new HashSet<>();
    private final Set<Integer> failed = new HashSet<>();
    private int head;

    OrderedOutput(BuildOutput sink, List<Integer> order) {
        this.sink = sink;
        this.order = List.copyOf(order);
    }

    BuildOutput forStage(int stage) {
        return new BuildOutput() {
            @Override
            public void stream(String text) {
                write(stage, o -> o.stream(text), true);
            }

            @Override
            public void pullProgress(String status, String id, Map<String, Object> detail, String bar) {
                boolean counts = detail != null && detail.containsKey("current");
                write(stage, o -> o.pullProgress(status, id, detail, bar), !counts);
            }
        };
    }

    private synchronized void write(int stage, Consumer<BuildOutput> message, boolean keep) {
        if (head < order.size() && order.get(head) == stage) {
            message.accept(sink);
        } else if (keep) {
            held.computeIfAbsent(stage, k -> new ArrayList<>()).add(message);
        }
    }

    /** {@code stage} has ended, and {@code failed} says whether it failed. */
    synchronized void done(int stage, boolean failed) {
        done.add(stage);
        if (failed) {
            this.failed.add(stage);
        }
        while (head < order.size() && done.contains(order.get(head)) && !this.failed.contains(order.get(head))) {
            head++;
            if (head < order.size()) {
                flush(order.get(head));
            }
        }
    }

    /** After a failure: writes what the stages up to {@code stage} (in order) still hold. */
    synchronized void flushThrough(int stage) {
        for (int i = head; i < order.size(); i++) {
            flush(order.get(i));
            if (order.get(i) == stage) {
                break;
            }
        }
        head = order.size();
    }

    private void flush(int stage) {
        List<Consumer<BuildOutput>> h = held.remove(stage);
        if (h != null) {
            h.forEach(m -> m.accept(sink));
        }
    }
}
