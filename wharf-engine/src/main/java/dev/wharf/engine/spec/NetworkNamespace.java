package dev.wharf.engine.spec;

/** Which network namespace the container gets. */
public sealed interface NetworkNamespace {

    /** A fresh, empty namespace (bridge networking is configured into it later, or none). */
    record New() implements NetworkNamespace {}

    /** The host's namespace. */
    record Host() implements NetworkNamespace {}

    /** Join an existing namespace, e.g. {@code /run/netns/x} or {@code /proc/<pid>/ns/net}. */
    record Path(String nsPath) implements NetworkNamespace {
        public Path {
            if (nsPath == null || nsPath.isEmpty()) {
                throw new IllegalArgumentException("nsPath is empty");
            }
        }
    }
}
