package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.model.container.ContainerConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the exec service needs of a container: its identity, whether it runs, where its OCI bundle
 * and merged root are, its config, and the attributes its events carry.
 */
public record ExecTarget(
        ContainerId id,
        String name,
        ContainerStatus status,
        Path bundle,
        Path rootfs,
        Path socketDir,
        ContainerConfig config,
        boolean privileged,
        Map<String, String> eventAttributes) {

    public boolean running() {
        return status.running();
    }

    public boolean paused() {
        return status == ContainerStatus.PAUSED;
    }
}
