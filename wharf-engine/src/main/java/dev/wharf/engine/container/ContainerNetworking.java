package dev.wharf.engine.container;

import dev.wharf.engine.network.EndpointSettings;
import dev.wharf.engine.network.NetworkService;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code POST /networks/{id}/connect} and {@code disconnect} for a container: the network service
 * leases or releases the address (and sets it up or tears it down if the container runs), and the
 * container's hosts file gains or loses its line for the network.
 */
final class ContainerNetworking {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerRegistry registry;
    private final NetworkService networks;

    ContainerNetworking(ContainerRegistry registry, NetworkService networks) {
        this.registry = registry;
        this.networks = networks;
    }

    void connect(String network, String idOrName, EndpointSettings endpointConfig) {
        Container c = registry.find(idOrName);
        c.lock.lock();
        try {
            networks.connect(network, c.id, c.name(), c.cfg.hostConfig().networkMode(), endpointConfig,
                    c.state.running());
            if (c.state.running()) {
                editHosts(network, c, true);
            }
        } finally {
            c.lock.unlock();
        }
    }

    void disconnect(String network, String idOrName) {
        Container c = registry.find(idOrName);
        c.lock.lock();
        try {
            if (c.state.running()) {
                editHosts(network, c, false);
            }
            networks.disconnect(network, c.id, c.name(), c.state.running());
        } finally {
            c.lock.unlock();
        }
    }

    /** Adds or removes the container's own line for the network in its running hosts file. */
    private void editHosts(String network, Container c, boolean add) {
        String ip = networks.addressOn(network, c.id);
        if (ip == null) {
            return;
        }
        try {
            Path hosts = registry.paths().dir(c.id).resolve("hosts");
            if (add) {
                HostsFile.add(hosts, ip, c.cfg.config().hostname());
            } else {
                HostsFile.remove(hosts, ip);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update the hosts file of " + c.id + ": " + e.getMessage());
        }
    }
}
