package dev.wharf.runtime;

import java.nio.file.Path;

/**
 * One exec session through conmon's exec mode. {@code bundle} is the session's own directory: it
 * holds {@code process.json} (the OCI process to run), conmon's ctl FIFO for resizes, and the
 * attach socket, linked as {@code socketDir/execId}.
 */
public record ExecLaunch(
        String containerId,
        String execId,
        String name,
        Path bundle,
        Path socketDir,
        Path processSpec,
        boolean tty,
        boolean stdin) {

    public ExecLaunch {
        if (execId == null || execId.isEmpty() || execId.contains("/")) {
            throw new IllegalArgumentException("bad exec id: " + execId);
        }
    }
}
