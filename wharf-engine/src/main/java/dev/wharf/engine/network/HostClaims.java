package dev.wharf.engine.network;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.fs.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * What each wharfd running on this host has claimed, so that daemons side by side (each with its
 * own {@code --data-root}) never share a bridge device or an address range. netavark keys its
 * firewall chains and bridge by name: two daemons on one {@code wharf0} would each rewrite the
 * other's addresses and rules.
 *
 * <pre>
 * /run/wharf/host/
 *   &lt;bridge&gt;.lock     the default bridge's device name, locked (fcntl) by the daemon using it for as
 *                      long as it runs; holds "pid data-root" for the message of a daemon refused
 *   &lt;bridge&gt;.subnets  that daemon's network subnets, one CIDR a line, replaced by rename
 * </pre>
 *
 * A lock is released by the kernel when its daemon dies, so a claim of a killed daemon is stale
 * at once: the next daemon takes it over.
 */
final class HostClaims implements AutoCloseable {

    static final Path DIR = Path.of("/run/wharf/host");

    private final Path dir;
    private final String bridge;
    private final FileChannel channel;
    private final FileLock lock;

    private HostClaims(Path dir, String bridge, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.bridge = bridge;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code bridge} for this daemon, or refuses when a live daemon holds it.
     *
     * @throws ConflictException naming the other daemon
     */
    static HostClaims claim(Path dir, String bridge, Path dataRoot) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(bridge + ".lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            ch.close();
            String[] f = holder.split(" ", 2);
            throw new ConflictException("bridge " + bridge + " is in use by another wharfd"
                    + (f.length == 2 ? " (pid " + f[0] + ", --data-root " + f[1] + ")" : "")
                    + "; give this daemon a bridge of its own with --bridge NAME (and --bip)");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + " " + dataRoot + "\n")
                .getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new HostClaims(dir, bridge, ch, lock);
    }

    /** Publishes this daemon's subnets, for other daemons choosing theirs. */
    void publish(Collection<Subnet> subnets) {
        StringBuilder b = new StringBuilder();
        subnets.forEach(s -> b.append(s).append('\n'));
        try {
            AtomicFiles.write(dir.resolve(bridge + ".subnets"), b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.getLogger("wharf.network").log(System.Logger.Level.WARNING, "cannot publish subnets: " + e);
        }
    }

    /** The subnets claimed by the other daemons running on this host. */
    List<Subnet> others() {
        return othersIn(dir, bridge);
    }

    static List<Subnet> othersIn(Path dir, String own) {
        List<Subnet> out = new ArrayList<>();
        List<Path> locks;
        try (Stream<Path> s = Files.list(dir)) {
            locks = s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList();
        } catch (IOException e) {
            return out;
        }
        for (Path l : locks) {
            String name = l.getFileName().toString();
            String other = name.substring(0, name.length() - ".lock".length());
            if (other.equals(own) || !held(l)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(dir.resolve(other + ".subnets"))) {
                    if (!line.isBlank()) {
                        out.add(Subnet.parse(line.strip()));
                    }
                }
            } catch (NoSuchFileException e) {
                // that daemon has not published yet
            } catch (IOException | RuntimeException e) {
                // a file being replaced; its owner publishes again
            }
        }
        return out;
    }

    /** Whether a live process holds the lock on {@code file} (taking it, then letting go, if not). */
    private static boolean held(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process: only our own claim, skipped by name
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir.resolve(bridge + ".subnets"));
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops the lock with the process anyway
        }
    }
}
