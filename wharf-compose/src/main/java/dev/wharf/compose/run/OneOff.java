package dev.wharf.compose.run;

import dev.wharf.client.ApiException;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.plan.ConfigHash;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code run}: a one-off container of a service ({@code project-service-run-<slug>}, labelled
 * {@code oneoff=True}), after its dependencies are up. Its ports are published only with
 * {@code --service-ports}, it has no restart policy, and it answers only to its own name.
 */
public final class OneOff {

    /** The container made: its ID and name. */
    public record Created(String id, String name) {
    }

    private final WharfClient client;
    private final Progress progress;

    OneOff(WharfClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    Created create(Project p, Service s, Compose.RunOptions o) {
        if (!o.noDeps() && !s.dependsOn().isEmpty()) {
            List<String> deps = new ArrayList<>(s.dependsOn().keySet());
            new Up(client, progress).run(p, new UpOptions(deps, Map.of(), false, false, false, false, false, false, false,
                    null));
            Dependencies waits = new Dependencies(new Replicas(client, progress), progress);
            s.dependsOn().forEach((k, d) -> waits.await(p, p.service(k), d));
        }
        String imageId = new ImageSupplier(client, progress).ensure(p, List.of(s), false, false).get(s.name());
        String slug = HexFormat.of().formatHex(randomBytes());
        String name = o.name() != null ? o.name() : p.name() + "-" + s.name() + "-run-" + slug.substring(0, 12);
        ContainerCreateRequest base = CreateBody.of(p, s, 1, ConfigHash.of(s), imageId, false);
        ContainerConfig c = base.config();
        Map<String, String> labels = new TreeMap<>(c.labels());
        labels.put(Labels.ONEOFF, "True");
        labels.put(Labels.SLUG, slug);
        List<String> env = new ArrayList<>(c.env());
        o.env().forEach((k, v) -> env.add(k + "=" + v));
        ContainerConfig cfg = new ContainerConfig(c.hostname(), c.domainname(), o.user() != null ? o.user() : c.user(),
                o.interactive(), true, true, c.exposedPorts(), o.tty(), o.interactive(), o.interactive(), env,
                o.command() != null && !o.command().isEmpty() ? o.command() : c.cmd(), c.image(), c.volumes(),
                o.workdir() != null ? o.workdir() : c.workingDir(), o.entrypoint() != null ? o.entrypoint() : c.entrypoint(),
                labels, c.stopSignal(), c.stopTimeout(), c.other());
        HostConfig h = base.hostConfig();
        Map<String, Object> other = new LinkedHashMap<>(h.other());
        if (!o.servicePorts()) {
            other.remove("PortBindings");
        }
        if (o.publish() != null && !o.publish().isEmpty()) {
            Map<String, List<Map<String, String>>> pb = new TreeMap<>();
            for (String spec : o.publish()) {
                String[] parts = spec.split(":");
                String target = parts[parts.length - 1].contains("/") ? parts[parts.length - 1] : parts[parts.length - 1] + "/tcp";
                pb.computeIfAbsent(target, k -> new ArrayList<>()).add(Map.of("HostIp", parts.length == 3 ? parts[0] : "",
                        "HostPort", parts.length >= 2 ? parts[parts.length - 2] : ""));
            }
            other.put("PortBindings", pb);
        }
        HostConfig host = new HostConfig(h.networkMode(), false, h.logConfig(), null, h.binds(), h.privileged(),
                h.readonlyRootfs(), h.consoleSize(), h.shmSize(), h.runtime(), other);
        progress.status(Replicas.res(name), "Creating");
        String id;
        try {
            id = client.containers().create(name, new ContainerCreateRequest(cfg, host, base.networkingConfig())).id();
        } catch (ApiException e) {
            throw new ComposeException("Error response from daemon: " + e.getMessage(), e);
        }
        progress.status(Replicas.res(name), "Created");
        return new Created(id, name);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
