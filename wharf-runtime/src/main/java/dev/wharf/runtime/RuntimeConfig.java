package dev.wharf.runtime;

import java.nio.file.Path;

/** Where the runtime binaries are and where runc keeps its state ({@code runc --root}). */
public record RuntimeConfig(Path runc, Path conmon, Path runcRoot) {

    public static RuntimeConfig defaults(Path runcRoot) {
        return new RuntimeConfig(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/conmon"), runcRoot);
    }
}
