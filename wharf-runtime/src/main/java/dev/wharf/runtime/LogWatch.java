package dev.wharf.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inotify instance for every log follower of the process ({@code docker logs -f}): each
 * follower registers its log's directory and is told when anything in it changes. A watch service
 * per follower cost an inotify instance and a JDK poller thread each, and the kernel allows 128
 * instances per user by default, so the 127th concurrent follower failed; here a thousand
 * followers cost one instance, two threads and one watch per directory.
 */
public final class LogWatch {

    private static final Logger LOG = LoggerFactory.getLogger(LogWatch.class);
    private static volatile LogWatch shared;

    private final WatchService service;
    private final Map<Path, Dir> dirs = new HashMap<>(); // guarded by this
    private final Map<WatchKey, Dir> byKey = new HashMap<>(); // guarded by this

    /** A watched directory and the followers told of its changes. */
    private record Dir(Path path, WatchKey key, List<Runnable> listeners) {
    }

    /** A follower's registration; close it when the follow ends. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    LogWatch() {
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("log-watch").start(this::loop);
    }

    /** The process's one watch, made at first use. */
    public static LogWatch shared() {
        LogWatch w = shared;
        if (w == null) {
            synchronized (LogWatch.class) {
                w = shared;
                if (w == null) {
                    w = new LogWatch();
                    shared = w;
                }
            }
        }
        return w;
    }

    /**
     * Calls {@code onChange} (on the watch's thread; it must not block) whenever a file in
     * {@code dir} is created or modified, until the registration is closed.
     */
    public synchronized Registration watch(Path dir, Runnable onChange) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        Dir d = dirs.get(key);
        if (d == null || !d.key().isValid()) {
            WatchKey k = key.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            d = byKey.get(k); // the same directory registered again returns its key
            if (d == null) {
                d = new Dir(key, k, new CopyOnWriteArrayList<>());
                byKey.put(k, d);
            }
            dirs.put(key, d);
        }
        Dir watched = d;
        watched.listeners().add(onChange);
        return () -> unwatch(watched, onChange);
    }

    private synchronized void unwatch(Dir d, Runnable onChange) {
        if (d.listeners().remove(onChange) && d.listeners().isEmpty()) {
            d.key().cancel();
            byKey.remove(d.key(), d);
            dirs.remove(d.path(), d);
        }
    }

    /** Directories watched now, for tests. */
    synchronized int watched() {
        return dirs.size();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey k = service.take();
                k.pollEvents(); // any event may be a follower's file; reading again is cheap for it
                Dir d;
                synchronized (this) {
                    d = byKey.get(k);
                }
                if (d != null) {
                    for (Runnable r : d.listeners()) {
                        try {
                            r.run();
                        } catch (RuntimeException e) {
                            LOG.debug("log follower callback failed: {}", e.toString());
                        }
                    }
                }
                if (!k.reset()) {
                    forget(k); // the directory is gone (its container removed)
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    private synchronized void forget(WatchKey k) {
        Dir d = byKey.remove(k);
        if (d != null) {
            dirs.remove(d.path(), d);
            d.listeners().forEach(Runnable::run); // let them find their file gone
        }
    }
}
