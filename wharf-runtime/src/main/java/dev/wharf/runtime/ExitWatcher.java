package dev.wharf.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches conmon's exit dir (inotify through {@link WatchService}) and reports each
 * {@code <exitDir>/<id>} once it holds an exit code. A file seen empty at CREATE is reported on its
 * MODIFY; files already there at {@link #start()} are reported too; a deleted file may be reported
 * again when it comes back (a restarted container). Callbacks run on one watcher thread, in order.
 */
public final class ExitWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

    private final Path exitDir;
    private final BiConsumer<String, Integer> onExit;
    private final Set<String> reported = new HashSet<>();
    private WatchService watcher;
    private Thread thread;
    private volatile boolean closed;

    public ExitWatcher(Path exitDir, BiConsumer<String, Integer> onExit) {
        this.exitDir = exitDir;
        this.onExit = onExit;
    }

    public synchronized void start() {
        if (watcher != null) {
            throw new IllegalStateException("already started");
        }
        try {
            Files.createDirectories(exitDir);
            watcher = FileSystems.getDefault().newWatchService();
            // register before the first scan so no file is missed in between
            exitDir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon().name("exit-watcher " + exitDir).start(this::loop);
    }

    private void loop() {
        scan();
        try {
            while (!closed) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                        scan();
                        continue;
                    }
                    String name = ev.context().toString();
                    if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                        reported.remove(name);
                    } else {
                        check(name);
                    }
                }
                if (!key.reset()) {
                    LOG.warn("exit dir {} is no longer watched", exitDir);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    private void scan() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(exitDir)) {
            for (Path p : ds) {
                check(p.getFileName().toString());
            }
        } catch (IOException e) {
            LOG.warn("cannot list exit dir {}: {}", exitDir, e.toString());
        }
    }

    private void check(String name) {
        // conmon writes "<id>.XXXXXX" and renames it to "<id>": a temporary name is not an exit yet
        if (closed || name.indexOf('.') >= 0 || reported.contains(name)) {
            return;
        }
        Integer code = readExitCode(exitDir.resolve(name));
        if (code == null) {
            return; // empty or still being written: its MODIFY event comes next
        }
        reported.add(name);
        try {
            onExit.accept(name, code);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // One failed callback must not stop the watcher: every later exit would go unseen.
            LOG.error("exit callback for {} failed", name, e);
        }
    }

    /** The exit code in a conmon exit file; null when the file is missing, empty or incomplete. */
    public static Integer readExitCode(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? null : Integer.parseInt(s);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        WatchService w;
        Thread t;
        synchronized (this) {
            w = watcher;
            t = thread;
        }
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
