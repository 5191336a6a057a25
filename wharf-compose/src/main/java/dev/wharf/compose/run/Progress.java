package dev.wharf.compose.run;

import dev.wharf.model.common.ProgressMessage;

/**
 * What Compose tells the person waiting: one status per resource ({@code Container proj-web-1},
 * {@code Started}), warnings, and the daemon's pull and build messages as they come.
 * Implementations must be thread-safe: services converge in parallel.
 */
public interface Progress {

    void status(String resource, String status);

    void warn(String message);

    /** One message of a pull of {@code image}. */
    default void pull(String image, ProgressMessage m) {
    }

    /** One message of the build of {@code service}'s image. */
    default void build(String service, ProgressMessage m) {
    }

    /** Says nothing (for tests and for {@code --quiet}). */
    static Progress silent() {
        return new Progress() {
            @Override
            public void status(String resource, String status) {
            }

            @Override
            public void warn(String message) {
            }
        };
    }
}
