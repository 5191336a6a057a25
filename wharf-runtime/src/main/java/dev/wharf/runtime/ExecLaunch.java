package dev.wharf.runtime;

import dev.wharf.base.id.ContainerId;
import java.nio.file.Path;

/**
 * One exec session through conmon's exec mode. {@code bundle} is the session's own directory: it
 * holds {@code process.json} (the OCI process to run), conmon's ctl FIFO for resizes, and the
 * attach socket, linked as {@code socketDir/execId}.
 */
public record ExecLaunch(
        ContainerId containerId,
        String execId,
        String name,
        Path bundle,
        Path socketDir,
        Path processSpec,
        boolean tty,
        boolean stdin) {

    public ExecLaunch {
        if (containerId == null) {
            throw new IllegalArgumentException("an exec needs its container's id");
        }
        if (execId == null || execId.isEmpty() || execId.contains("/")) {
            throw new IllegalArgumentException("bad exec id: " + execId);
        }
    }
}
