package dev.wharf.base.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link Clock} for unit tests: time moves only when the test calls {@link #advance}, and
 * threads in {@link #sleep} wake when it passes their deadline. {@link #awaitSleepers} lets a
 * test wait, with a deadline, until the code under test is asleep before it moves the time.
 */
public final class FakeClock implements Clock {

    private Instant now;
    private int sleepers;

    public FakeClock() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    public FakeClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        synchronized (this) {
            Instant deadline = now.plus(d);
            sleepers++;
            notifyAll();
            try {
                while (now.isBefore(deadline)) {
                    wait();
                }
            } finally {
                sleepers--;
                notifyAll();
            }
        }
    }

    /** Moves the time on and wakes the sleepers whose deadline it reaches. */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
        notifyAll();
    }

    /** How many threads sleep on this clock now. */
    public synchronized int sleepers() {
        return sleepers;
    }

    /**
     * Waits (in real time, at most {@code timeout}) until at least {@code n} threads sleep on this
     * clock; false when they did not.
     */
    public synchronized boolean awaitSleepers(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (sleepers < n) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
