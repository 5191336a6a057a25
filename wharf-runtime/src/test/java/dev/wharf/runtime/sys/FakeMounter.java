package dev.wharf.runtime.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Mounter} for unit tests: an "overlay" is the target directory made and remembered, so
 * tests can check that what was mounted is unmounted again.
 */
public final class FakeMounter implements Mounter {

    private final Set<Path> mounted = ConcurrentHashMap.newKeySet();

    @Override
    public void overlay(List<Path> lowerDirs, Path upper, Path work, Path target) throws IOException {
        Files.createDirectories(target);
        mounted.add(target);
    }

    @Override
    public void unmount(Path target) {
        mounted.remove(target);
    }

    /** What is mounted now. */
    public Set<Path> mounted() {
        return Set.copyOf(mounted);
    }
}
