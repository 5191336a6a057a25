package dev.wharf.compose.run;

import dev.wharf.client.ApiException;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.NetworkSpec;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.VolumeSpec;
import dev.wharf.model.network.Network;
import dev.wharf.model.network.NetworkCreateRequest;
import dev.wharf.model.volume.Volume;
import dev.wharf.model.volume.VolumeCreateRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A project's networks and volumes: made on {@code up} with Docker Compose's labels (or checked to
 * exist when {@code external}), and removed on {@code down} (volumes only with {@code -v}).
 */
final class ProjectResources {

    private final WharfClient client;
    private final Progress progress;

    ProjectResources(WharfClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    void ensureNetworks(Project p, java.util.Collection<String> keys) {
        for (String key : keys) {
            NetworkSpec spec = p.networks().get(key);
            String name = p.networkName(key);
            Network existing = inspectNetwork(name);
            if (spec.external()) {
                if (existing == null) {
                    throw new ComposeException("network " + name + " declared as external, but could not be found");
                }
                continue;
            }
            if (existing != null) {
                Map<String, String> l = existing.labels() == null ? Map.of() : existing.labels();
                String owner = l.get(Labels.PROJECT);
                if (owner == null) {
                    progress.warn("a network with name " + name + " exists but was not created by compose");
                } else if (!owner.equals(p.name()) || !key.equals(l.get(Labels.NETWORK))) {
                    throw new ComposeException("network " + name + " was found but has incorrect label "
                            + Labels.NETWORK + " set to \"" + l.get(Labels.NETWORK) + "\"");
                }
                continue;
            }
            String res = "Network " + name;
            progress.status(res, "Creating");
            Map<String, String> labels = new TreeMap<>(spec.labels());
            labels.put(Labels.PROJECT, p.name());
            labels.put(Labels.NETWORK, key);
            labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
            Network.Ipam ipam = null;
            if (spec.ipam() != null) {
                List<Network.IpamConfig> pools = new ArrayList<>();
                spec.ipam().config().forEach(c -> pools.add(new Network.IpamConfig(c.subnet(), c.ipRange(), c.gateway())));
                ipam = new Network.Ipam(spec.ipam().driver() == null ? "default" : spec.ipam().driver(),
                        spec.ipam().options(), pools);
            }
            try {
                client.networks().create(new NetworkCreateRequest(name, spec.driver() == null ? "bridge" : spec.driver(),
                        spec.internal(), spec.attachable(), spec.enableIpv6(), ipam, spec.driverOpts(), labels));
            } catch (ApiException e) {
                if (e.status() != 409) {
                    throw new ComposeException("creating network " + name + ": " + e.getMessage(), e);
                }
            }
            progress.status(res, "Created");
        }
    }

    void ensureVolumes(Project p) {
        for (Map.Entry<String, VolumeSpec> e : p.volumes().entrySet()) {
            VolumeSpec spec = e.getValue();
            String name = p.volumeName(e.getKey());
            Volume existing = inspectVolume(name);
            if (spec.external()) {
                if (existing == null) {
                    throw new ComposeException("external volume \"" + name + "\" not found");
                }
                continue;
            }
            if (existing != null) {
                Map<String, String> l = existing.labels() == null ? Map.of() : existing.labels();
                if (l.get(Labels.PROJECT) == null) {
                    progress.warn("volume \"" + name + "\" already exists but was not created by Docker Compose. "
                            + "Use `external: true` to use an existing volume");
                }
                continue;
            }
            String res = "Volume " + name;
            progress.status(res, "Creating");
            Map<String, String> labels = new TreeMap<>(spec.labels());
            labels.put(Labels.PROJECT, p.name());
            labels.put(Labels.VOLUME, e.getKey());
            labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
            client.volumes().create(new VolumeCreateRequest(name, spec.driver() == null ? "local" : spec.driver(),
                    spec.driverOpts(), labels));
            progress.status(res, "Created");
        }
    }

    /** Removes the project's networks (those labelled with it); ones still in use are reported, not fatal. */
    void removeNetworks(String project) {
        for (Network n : client.networks().list(Observer.projectFilter(project))) {
            String res = "Network " + n.name();
            progress.status(res, "Removing");
            try {
                client.networks().remove(n.id());
                progress.status(res, "Removed");
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    progress.status(res, "Error");
                    progress.warn("network " + n.name() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Removes the project's volumes (those labelled with it; external ones never are). */
    void removeVolumes(String project) {
        for (Volume v : client.volumes().list(Observer.projectFilter(project)).volumes()) {
            String res = "Volume " + v.name();
            progress.status(res, "Removing");
            try {
                client.volumes().remove(v.name(), false);
                progress.status(res, "Removed");
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    progress.status(res, "Error");
                    progress.warn("volume " + v.name() + ": " + e.getMessage());
                }
            }
        }
    }

    private Network inspectNetwork(String name) {
        try {
            return client.networks().inspect(name);
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    private Volume inspectVolume(String name) {
        try {
            return client.volumes().inspect(name);
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }
}
