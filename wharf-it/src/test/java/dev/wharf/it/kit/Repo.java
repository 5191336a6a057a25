package dev.wharf.it.kit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root: the nearest directory, from the working dir up, holding bin/wharfd. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        String configured = System.getProperty("wharf.repo");
        if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured, "bin/wharfd"))) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/wharfd"))) return dir;
        }
        throw new IllegalStateException("no bin/wharfd above " + Path.of("").toAbsolutePath());
    }

    /** JDK 25 for bin/wharfd and bin/wharf (the machine's default java is 17). */
    public static String javaHome() {
        Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        return Files.isDirectory(temurin) ? temurin.toString() : System.getProperty("java.home");
    }
}
