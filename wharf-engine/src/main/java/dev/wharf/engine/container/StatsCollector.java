package dev.wharf.engine.container;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readings behind streamed stats ({@code GET /containers/{id}/stats}, {@code docker stats}):
 * one per container and tick, shared by every stream of that container, as Docker's collector
 * does. Twenty {@code docker stats} windows then cost the daemon, and the kernel (memory.stat is
 * not cheap on cgroup v1), what one does, where each stream used to read every file itself.
 * A stream's first frame is read at once; the tick runs only while a stream is open, so an idle
 * daemon does not wake for it.
 */
public final class StatsCollector {

    private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);
    private static final long PERIOD_MS = 1000;
    /** A frame sooner than this after the stream's previous one is skipped: CPU % over a few ms is noise. */
    private static final long MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Function<Container, Stats> samplers;
    private final long periodMs;
    private final long minGapNanos;
    private final Map<String, Feed> feeds = new HashMap<>(); // guarded by this
    private ScheduledExecutorService timer; // guarded by this; made on first use
    private ScheduledFuture<?> tick; // guarded by this; null while no stream is open

    StatsCollector() {
        this(Stats::new, PERIOD_MS, MIN_GAP_NANOS);
    }

    /**
     * A collector whose samplers, tick period and minimum gap between a stream's frames the tests
     * choose (a test that calls {@link #tick()} itself sets a period that never comes).
     */
    StatsCollector(Function<Container, Stats> samplers, long periodMs, long minGapNanos) {
        this.samplers = samplers;
        this.periodMs = periodMs;
        this.minGapNanos = minGapNanos;
    }

    /** Opens a stream of {@code c}'s readings; close it when its client is gone. */
    synchronized Stream subscribe(Container c) {
        Feed feed = feeds.computeIfAbsent(c.id.value(), id -> new Feed(samplers.apply(c)));
        Stream s = new Stream(feed);
        feed.streams.add(s);
        if (tick == null) {
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().daemon().name("stats-collector").factory());
            }
            tick = timer.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
        return s;
    }

    /** Whether the tick is scheduled (some stream is open). */
    synchronized boolean ticking() {
        return tick != null;
    }

    private synchronized void unsubscribe(Stream s) {
        Feed feed = s.feed;
        if (!feed.streams.remove(s)) {
            return;
        }
        if (feed.streams.isEmpty()) {
            feeds.remove(feed.stats.containerId(), feed);
        }
        if (feeds.isEmpty() && tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    /** One tick: a reading of each subscribed container, offered to each of its streams. */
    void tick() {
        List<Feed> now;
        synchronized (this) {
            now = List.copyOf(feeds.values());
        }
        for (Feed feed : now) {
            try {
                Map<String, Object> reading = feed.stats.read();
                for (Stream s : feed.streams) {
                    s.offer(reading);
                }
            } catch (RuntimeException e) {
                LOG.debug("stats of {}: {}", feed.stats.containerId(), e.toString());
            }
        }
    }

    /** The streams of one container and the sampler they share. */
    private record Feed(Stats stats, List<Stream> streams) {
        Feed(Stats stats) {
            this(stats, new CopyOnWriteArrayList<>());
        }
    }

    /** One client's stream: the latest shared reading, framed with the stream's own previous one. */
    public final class Stream implements AutoCloseable {
        private final Feed feed;
        private final Stats.Frames frames = new Stats.Frames();
        private final ArrayBlockingQueue<Map<String, Object>> latest = new ArrayBlockingQueue<>(1);
        private long lastFrameAt;
        private boolean started;

        private Stream(Feed feed) {
            this.feed = feed;
        }

        /**
         * The next frame: the first at once, then one per tick (a slow reader gets the latest
         * reading, not a backlog); null when none came within {@code timeout}.
         */
        public Map<String, Object> next(Duration timeout) throws InterruptedException {
            Map<String, Object> reading;
            if (!started) {
                started = true;
                reading = feed.stats.read();
            } else {
                long deadline = System.nanoTime() + timeout.toNanos();
                do {
                    reading = latest.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (reading == null) {
                        return null;
                    }
                } while (System.nanoTime() - lastFrameAt < minGapNanos);
            }
            lastFrameAt = System.nanoTime();
            return frames.frame(reading);
        }

        /** Whether the container was removed: the stream ends. */
        public boolean gone() {
            return feed.stats.gone();
        }

        private void offer(Map<String, Object> reading) {
            synchronized (latest) {
                latest.clear();
                latest.offer(reading);
            }
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }
}
