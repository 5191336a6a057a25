package dev.wharf.engine.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * A mount added to the container's defaults: a host file or directory bind-mounted in (the
 * container's /etc/hosts, a volume, a bind), or with {@code tmpfs} true a fresh tmpfs (source
 * unused). {@code options} are extra mount options such as {@code rshared} or {@code size=64m}.
 */
public record BindFile(Path source, String destination, boolean readOnly, boolean tmpfs, List<String> options) {

    public BindFile {
        if (!destination.startsWith("/")) {
            throw new IllegalArgumentException("bind destination must be absolute: " + destination);
        }
        options = options == null ? List.of() : List.copyOf(options);
    }

    public BindFile(Path source, String destination, boolean readOnly) {
        this(source, destination, readOnly, false, List.of());
    }

    /** A tmpfs at {@code destination}. */
    public static BindFile tmpfs(String destination, List<String> options) {
        return new BindFile(Path.of("tmpfs"), destination, false, true, options);
    }
}
