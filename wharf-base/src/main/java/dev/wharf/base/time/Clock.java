package dev.wharf.base.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The time as the engine reads it and waits on it: {@link #system()} in the daemon, a clock moved
 * by hand in unit tests ({@code FakeClock} in this module's test jar), so back-offs and timestamps
 * are tested without waiting.
 */
public interface Clock {

    Instant now();

    /** Blocks the calling thread until {@code d} has passed on this clock. */
    void sleep(Duration d) throws InterruptedException;

    /** The host's clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The host's clock: {@link Instant#now()} and {@link Thread#sleep(Duration)}. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d);
        }
    }
}
