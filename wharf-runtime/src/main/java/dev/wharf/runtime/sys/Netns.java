package dev.wharf.runtime.sys;

import dev.wharf.base.ffm.Downcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Persistent network namespaces, as {@code ip netns add} makes them: a fresh namespace kept alive by
 * a bind mount of its nsfs file on an empty file (under the exec root), so that netavark can set it
 * up before the container exists and the runtime can join it by path.
 */
public final class Netns {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final MethodHandle UNSHARE =
            Downcalls.libc("unshare", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Netns() {
    }

    /**
     * Creates a new network namespace bound at {@code file}. The unshare happens on a short-lived
     * platform thread of its own, so no other thread ever runs in the new namespace.
     */
    public static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file) && Mounts.isMountPoint(file)) {
            throw new IOException("network namespace " + file + " exists");
        }
        Files.write(file, new byte[0]);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("wharf-netns").unstarted(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cap = Libc.capture(arena);
                int rc = (int) UNSHARE.invokeExact(cap, CLONE_NEWNET);
                if (rc < 0) {
                    throw Libc.error("unshare(CLONE_NEWNET)", Libc.errno(cap));
                }
                Mounts.mount("/proc/thread-self/ns/net", file.toString(), null, Mounts.MS_BIND, null);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + file, e);
        }
        Throwable f = failure.get();
        if (f != null) {
            Files.deleteIfExists(file);
            throw f instanceof IOException io ? io : new IOException(f.getMessage(), f);
        }
    }

    /** Unmounts and deletes the namespace file; a missing one is no error. */
    public static void delete(Path file) throws IOException {
        Mounts.unmount(file);
        Files.deleteIfExists(file);
    }
}
