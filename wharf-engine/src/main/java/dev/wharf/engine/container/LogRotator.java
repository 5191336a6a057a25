package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files conmon's log rotations ({@link LogRotation}) as they happen, for running containers whose
 * log has a max-size. conmon rotates by renaming {@code container.log.tmp} over
 * {@code container.log}; an inotify watch (the JDK's WatchService) on each such container's
 * directory wakes this class for that rename and nothing else, so a daemon whose containers log
 * without rotation, or do not log, spends no CPU here.
 */
final class LogRotator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LogRotator.class.getName());

    private record Target(ContainerId id, Path log, int maxFile) {
    }

    private final WatchService watcher;
    private final Map<WatchKey, Target> byKey = new ConcurrentHashMap<>();
    private final Map<ContainerId, WatchKey> byId = new ConcurrentHashMap<>();
    private final Thread thread;

    LogRotator() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch log files: " + e.getMessage(), e);
        }
        thread = Thread.ofVirtual().name("log-rotation").start(this::loop);
    }

    /** Watches a running container's log; a no-op when it is watched already or does not rotate. */
    void watch(ContainerId id, Path log, LogConfigCheck config) {
        if (!config.rotates() || byId.containsKey(id)) {
            return;
        }
        try {
            WatchKey key = log.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            Target t = new Target(id, log, config.maxFile());
            byKey.put(key, t);
            byId.put(id, key);
            check(t); // a rotation made before the watch (or while the daemon was down)
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot watch the log of " + id + ": " + e);
        }
    }

    /** Stops watching, after filing a rotation the container made while it stopped. */
    void unwatch(ContainerId id) {
        WatchKey key = byId.remove(id);
        if (key == null) {
            return;
        }
        Target t = byKey.remove(key);
        key.cancel();
        if (t != null) {
            check(t);
        }
    }

    private void loop() {
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Target t = byKey.get(key);
            boolean rotated = false;
            for (WatchEvent<?> e : key.pollEvents()) {
                rotated |= e.kind() == StandardWatchEventKinds.OVERFLOW
                        || (e.context() instanceof Path p && p.equals(t == null ? null : t.log().getFileName()));
            }
            if (t != null && rotated) {
                check(t);
            }
            key.reset();
        }
    }

    private static void check(Target t) {
        try {
            LogRotation.check(t.log(), t.maxFile());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "log rotation of " + t.id() + ": " + e);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        thread.interrupt();
    }
}
