package dev.wharf.runtime.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Mounts a container's root file system: the engine's seam over {@link Mounts} (root only), with
 * an in-memory fake in this module's test jar.
 */
public interface Mounter {

    /** Mounts an overlay of {@code lowerDirs} (top first) with {@code upper} and {@code work} on {@code target}. */
    void overlay(List<Path> lowerDirs, Path upper, Path work, Path target) throws IOException;

    /** Unmounts {@code target}; one that is not mounted is no error. */
    void unmount(Path target) throws IOException;

    /** The host's mounts. */
    static Mounter host() {
        return new Mounter() {
            @Override
            public void overlay(List<Path> lowerDirs, Path upper, Path work, Path target) throws IOException {
                Mounts.overlay(lowerDirs, upper, work, target);
            }

            @Override
            public void unmount(Path target) throws IOException {
                Mounts.unmount(target);
            }
        };
    }
}
