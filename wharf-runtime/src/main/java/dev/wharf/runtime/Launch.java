package dev.wharf.runtime;

import dev.wharf.base.id.ContainerId;
import java.nio.file.Path;

/**
 * One container start through conmon. {@code bundle} holds {@code config.json}; conmon writes the
 * exit code to {@code exitDir/id}, the k8s-file log to {@code logPath}, its own pid to
 * {@code conmonPidFile}, and makes the attach socket at {@code socketDir/id/attach}. With
 * {@code logNone} conmon keeps no log; {@code logSizeMax > 0} is conmon's {@code --log-size-max}.
 */
public record Launch(
        ContainerId id,
        String name,
        Path bundle,
        Path exitDir,
        Path socketDir,
        Path logPath,
        Path conmonPidFile,
        boolean tty,
        boolean stdin,
        boolean leaveStdinOpen,
        boolean logNone,
        long logSizeMax) {

    /** A launch logging to {@code logPath} with no size limit. */
    public Launch(ContainerId id, String name, Path bundle, Path exitDir, Path socketDir, Path logPath,
            Path conmonPidFile, boolean tty, boolean stdin, boolean leaveStdinOpen) {
        this(id, name, bundle, exitDir, socketDir, logPath, conmonPidFile, tty, stdin, leaveStdinOpen, false, -1);
    }

    public Launch {
        if (id == null) {
            throw new IllegalArgumentException("a launch needs a container id");
        }
        if (name == null || name.isEmpty()) {
            name = id.value();
        }
    }
}
