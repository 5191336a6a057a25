package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerUpdateRequest;
import dev.wharf.model.container.HostConfig;
import dev.wharf.oci.runtime.Resources;
import dev.wharf.runtime.ContainerRuntime;
import dev.wharf.runtime.RuntimeCommandException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /containers/{id}/update}: a new restart policy and new cgroup limits. The fields
 * the request sets (non-zero, as moby reads them) replace the container's; a running container
 * gets them through {@code runc update} first, so a limit the kernel refuses changes nothing.
 */
final class Updater {

    private final ContainerRegistry registry;
    private final ContainerRuntime runtime;

    Updater(ContainerRegistry registry, ContainerRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    Map<String, Object> update(String idOrName, ContainerUpdateRequest body) {
        Container c = registry.find(idOrName);
        ContainerUpdateRequest req = body == null ? ContainerUpdateRequest.none() : body;
        c.lock.lock();
        try {
            HostConfig old = c.cfg.hostConfig();
            if (req.memorySwap() < -1) {
                throw new InvalidArgumentException("invalid MemorySwap: " + req.memorySwap());
            }
            Map<String, Object> asked = req.resources();
            Map<String, Object> other = new LinkedHashMap<>(old.other());
            other.putAll(asked);
            boolean limits = !asked.isEmpty();
            long newMem = req.memory();
            long oldSwap = HostOptions.of(old).limits().memorySwap();
            if (newMem > 0 && req.memorySwap() == 0 && oldSwap > 0 && newMem > oldSwap) {
                throw new InvalidArgumentException("Memory limit should be smaller than already set memoryswap "
                        + "limit, update the memoryswap at the same time");
            }
            HostConfig.RestartPolicy policy = old.restartPolicy();
            HostConfig.RestartPolicy newPolicy = restartPolicy(req.restartPolicy());
            if (newPolicy != null) {
                if (old.autoRemove() && !newPolicy.name().equals("no")) {
                    throw new InvalidArgumentException(
                            "Restart policy cannot be updated because AutoRemove is enabled for the container");
                }
                policy = newPolicy;
            }
            HostConfig hc = new HostConfig(old.networkMode(), old.autoRemove(), old.logConfig(), policy, old.binds(),
                    old.privileged(), old.readonlyRootfs(), old.consoleSize(), old.shmSize(), old.runtime(), other);
            HostConfinement.validate(hc);
            ResourceSupport.Adapted adapted = ResourceSupport.adapt(hc, dev.wharf.runtime.cgroup.CgroupSupport.host());
            hc = adapted.hostConfig();
            Resources res = ResourceLimits.limits(HostOptions.of(hc).limits());
            if (limits && c.state.running()) {
                apply(c.id, res);
            }
            registry.saveConfig(c, c.cfg.withHostConfig(hc));
            registry.publish(c, "update");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("Warnings", adapted.warnings().isEmpty() ? null : adapted.warnings());
            return out;
        } finally {
            c.lock.unlock();
        }
    }

    private void apply(ContainerId id, Resources res) {
        Path file = registry.paths().bundle(id).resolve("update-resources.json");
        try {
            AtomicFiles.write(file, Json.mapper().writeValueAsBytes(res));
            runtime.update(id, file);
        } catch (IOException e) {
            throw new dev.wharf.base.error.InternalException("cannot write resources: " + e.getMessage(), e);
        } catch (RuntimeCommandException e) {
            throw new InvalidArgumentException("Cannot update container " + id + ": "
                    + e.getMessage().strip()); // runc's msg=, unquoted by the runtime
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the bundle is rewritten at the next start
            }
        }
    }

    /** The request's RestartPolicy, checked as {@code docker update --restart} would; null when not asked. */
    static HostConfig.RestartPolicy restartPolicy(HostConfig.RestartPolicy p) {
        String name = p == null || p.name() == null ? "" : p.name();
        if (name.isEmpty()) {
            return null;
        }
        if (!List.of("no", "always", "on-failure", "unless-stopped").contains(name)) {
            throw new InvalidArgumentException("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        int max = p.maximumRetryCount();
        if (max < 0) {
            throw new InvalidArgumentException("invalid restart policy: maximum retry count cannot be negative");
        }
        if (max > 0 && !name.equals("on-failure")) {
            throw new InvalidArgumentException("invalid restart policy: maximum retry count can only be used with "
                    + "'on-failure'");
        }
        return new HostConfig.RestartPolicy(name, max);
    }
}
