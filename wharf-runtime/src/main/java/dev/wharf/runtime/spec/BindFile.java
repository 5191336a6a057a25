package dev.wharf.runtime.spec;

import java.nio.file.Path;

/** A host file bind-mounted into the container, e.g. {@code /etc/hosts} from the container dir. */
public record BindFile(Path source, String destination, boolean readOnly) {
    public BindFile {
        if (!destination.startsWith("/")) {
            throw new IllegalArgumentException("bind destination must be absolute: " + destination);
        }
    }
}
