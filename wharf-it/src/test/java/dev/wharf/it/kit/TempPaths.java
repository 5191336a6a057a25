package dev.wharf.it.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary files and directories of the tests, removed with all they hold when the test JVM
 * exits ({@code File.deleteOnExit} removes only empty directories, and the docker CLI, openssl and
 * compose write into theirs), so that a run of the suite leaves nothing in /tmp.
 */
public final class TempPaths {

    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(TempPaths::deleteTree), "temp-paths"));
    }

    private TempPaths() {
    }

    /** A new directory in /tmp named {@code prefix...}. */
    public static Path dir(String prefix) {
        try {
            return remember(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty file in /tmp named {@code prefix...suffix}. */
    public static Path file(String prefix, String suffix) {
        try {
            return remember(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path remember(Path p) {
        MADE.add(p);
        return p;
    }

    /** Removes {@code p} and everything below it, as far as it can. */
    public static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a file a container still holds: leave it
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // gone meanwhile
        }
    }
}
