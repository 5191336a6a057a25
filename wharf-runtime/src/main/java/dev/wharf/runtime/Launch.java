package dev.wharf.runtime;

import java.nio.file.Path;

/**
 * One container start through conmon. {@code bundle} holds {@code config.json}; conmon writes the
 * exit code to {@code exitDir/id}, the k8s-file log to {@code logPath}, its own pid to
 * {@code conmonPidFile}, and makes the attach socket at {@code socketDir/id/attach}.
 */
public record Launch(
        String id,
        String name,
        Path bundle,
        Path exitDir,
        Path socketDir,
        Path logPath,
        Path conmonPidFile,
        boolean tty,
        boolean stdin,
        boolean leaveStdinOpen) {

    public Launch {
        if (id == null || id.isEmpty() || id.contains("/")) {
            throw new IllegalArgumentException("bad container id: " + id);
        }
        if (name == null || name.isEmpty()) {
            name = id;
        }
    }
}
