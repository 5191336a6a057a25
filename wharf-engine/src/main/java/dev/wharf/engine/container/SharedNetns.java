package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.network.EndpointSettings;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import java.util.Map;

/**
 * {@code --network container:<ref>}: a container that joins another's network namespace, has no
 * endpoints of its own and shares the other's hosts, hostname and resolv.conf. Checks a create
 * request for the options Docker refuses with that mode.
 */
final class SharedNetns {

    static final String PREFIX = "container:";

    private SharedNetns() {
    }

    /** The referenced container of a {@code container:<ref>} mode, or null for any other mode. */
    static String ref(String networkMode) {
        return networkMode != null && networkMode.startsWith(PREFIX) ? networkMode.substring(PREFIX.length()) : null;
    }

    /** Docker's {@code validateNetContainerMode}: 400 for the options the shared namespace makes void. */
    static void checkConflicts(ContainerConfig cfg, HostConfig hc, Map<String, EndpointSettings> endpointsConfig) {
        String ref = ref(hc.networkMode());
        if (ref == null) {
            return;
        }
        if (ref.isEmpty()) {
            throw new InvalidArgumentException("Invalid network mode: invalid container format container:<name|id>");
        }
        HostOptions h = HostOptions.of(hc);
        if (cfg.hostname() != null && !cfg.hostname().isEmpty()) {
            throw conflict("hostname and the network mode");
        }
        if (!h.links().isEmpty()) {
            throw conflict("container type network can't be used with links. This would result in undefined "
                    + "behavior");
        }
        if (!h.dns().isEmpty()) {
            throw conflict("dns and the network mode");
        }
        if (!h.extraHosts().isEmpty()) {
            throw conflict("custom host-to-IP mapping and the network mode");
        }
        if (cfg.macAddress() != null) {
            throw conflict("mac-address and the network mode");
        }
        if (!h.portBindings().isEmpty() || h.publishAllPorts()) {
            throw conflict("port publishing and the container type network mode");
        }
        if (cfg.exposedPorts() != null && !cfg.exposedPorts().isEmpty()) {
            throw conflict("port exposing and the container type network mode");
        }
        if (endpointsConfig != null) {
            for (EndpointSettings ep : endpointsConfig.values()) {
                if (ep.aliasesGiven()) {
                    throw conflict("network-scoped alias and the container type network mode");
                }
            }
            if (endpointsConfig.keySet().stream().anyMatch(k -> !k.equals(hc.networkMode()))) {
                throw new InvalidArgumentException("container sharing network namespace with another container or "
                        + "host cannot be connected to any other network");
            }
        }
    }

    /** The host config with its mode naming the referenced container by full id, as Docker stores it. */
    static HostConfig withContainer(HostConfig hc, ContainerId id) {
        return new HostConfig(PREFIX + id.value(), hc.autoRemove(), hc.logConfig(), hc.restartPolicy(), hc.binds(),
                hc.privileged(), hc.readonlyRootfs(), hc.consoleSize(), hc.shmSize(), hc.runtime(), hc.other());
    }

    private static InvalidArgumentException conflict(String what) {
        return new InvalidArgumentException("conflicting options: " + what);
    }
}
