package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.network.EndpointSettings;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.CreateResponse;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.CgroupSupport;
import dev.wharf.runtime.cgroup.Cgroups;
import dev.wharf.runtime.sys.HostSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /containers/create}: checks the request as Docker does (a 400 or 409 makes nothing),
 * fills in the image's defaults, plans the mounts, then makes the row, the directories and the
 * network leases; a failure on the way undoes what was made.
 */
final class ContainerCreator {

    private final ContainerRegistry registry;
    private final ContainerImages images;
    private final NetworkService networks;
    private final VolumeService volumes;
    private final MountPlanner mountPlanner;

    ContainerCreator(ContainerRegistry registry, ContainerImages images, NetworkService networks,
            VolumeService volumes) {
        this.registry = registry;
        this.images = images;
        this.networks = networks;
        this.volumes = volumes;
        this.mountPlanner = new MountPlanner(volumes);
    }

    CreateResponse create(String name, ContainerCreateRequest req) {
        ContainerConfig cfg = req.config();
        HostConfig hc = req.hostConfig();
        if (cfg.image() == null || cfg.image().isEmpty()) {
            throw new InvalidArgumentException("No image specified");
        }
        String n = name == null || name.isEmpty() ? null : Names.validate(name);
        validateHostConfig(hc);
        LogConfigCheck.of(hc.logConfig());
        HostConfinement.validate(hc);
        List<String> warnings = new ArrayList<>(OptionChecks.check(hc, HostSecurity.host().appArmor(),
                HostSecurity.host().selinux()));
        ResourceSupport.Adapted adapted = ResourceSupport.adapt(hc, CgroupSupport.host());
        hc = adapted.hostConfig();
        warnings.addAll(adapted.warnings());
        ResourceLimits.limits(HostOptions.of(hc).limits()); // block devices and ranges of what will be applied: 400s now
        hc = HostConfinement.withCgroupnsDefault(hc, Cgroups.isV2());
        hc = DevicePolicy.withPathDefaults(hc);
        Map<String, EndpointSettings> endpoints = EndpointSettings.ofAll(req.networkingConfig());
        String joined = SharedNetns.ref(hc.networkMode());
        if (joined != null) {
            SharedNetns.checkConflicts(cfg, hc, endpoints);
            Container other = registry.find(joined);
            hc = SharedNetns.withContainer(hc, other.id);
            cfg = cfg.withHostname(other.cfg.config().hostname());
        }
        HostOptions h = HostOptions.of(hc);
        networks.validate(hc.networkMode(), endpoints, h.portBindings(), h.extraHosts());
        ImageService.Resolved img = images.resolve(cfg.image());
        var rc = img.config().config();
        if (rc != null) {
            cfg = cfg.mergeImageDefaults(rc.env(), rc.cmd(), rc.entrypoint(), rc.workingDir(), rc.user(),
                    rc.labels(), rc.exposedPorts(), rc.volumes(), rc.stopSignal());
        }
        cfg = Healthchecks.merge(cfg, rc == null ? null : rc.healthcheck());
        List<String> argv = new ArrayList<>();
        if (cfg.entrypoint() != null) {
            argv.addAll(cfg.entrypoint());
        }
        if (cfg.cmd() != null) {
            argv.addAll(cfg.cmd());
        }
        if (argv.isEmpty()) {
            throw new InvalidArgumentException("No command specified");
        }
        ContainerId id = ContainerId.random();
        if (cfg.hostname() == null || cfg.hostname().isEmpty()) {
            cfg = cfg.withHostname(id.shortId());
        }
        if (n != null && registry.byName(n).isPresent()) {
            throw registry.nameConflict(n);
        }
        List<ContainerMount> mounts = planMounts(cfg, hc);
        List<Links.Link> links = Links.parse(h.links());
        if ("host".equals(hc.networkMode()) && !links.isEmpty()) {
            throw new ConflictException("conflicting options: host type networking can't be used with links. "
                    + "This would result in undefined behavior");
        }
        Links.normalize(links, "", registry::find); // 400 for a child that does not exist, before anything is made
        Instant now = registry.clock().now();
        ContainerPaths paths = registry.paths();
        for (int attempt = 0;; attempt++) {
            String nm = n != null ? n : Names.generate() + (attempt > 5 ? String.valueOf(attempt) : "");
            HostConfig linked = links.isEmpty() ? hc
                    : Links.withLinks(hc, Links.normalize(links, nm, registry::find));
            StoredConfig stored = new StoredConfig(id.value(), nm, dev.wharf.engine.common.Times.rfc3339(now),
                    img.id().toString(), argv.getFirst(), argv.subList(1, argv.size()), cfg, linked,
                    req.networkingConfig(), mounts);
            StateRecord st = StateRecord.created();
            try {
                Files.createDirectories(paths.upper(id));
                Files.createDirectories(paths.work(id));
                if (!registry.insert(stored, st, now)) {
                    if (n != null) {
                        AtomicFiles.deleteTree(paths.dir(id));
                        throw registry.nameConflict(n);
                    }
                    continue;
                }
            } catch (IOException e) {
                throw new InternalException("cannot create container: " + e.getMessage(), e);
            }
            try {
                networks.attach(id, nm, hc.networkMode(), endpoints);
            } catch (RuntimeException e) {
                registry.deleteRow(id);
                try {
                    AtomicFiles.deleteTree(paths.dir(id));
                } catch (IOException ignored) {
                    // the directory is empty but for upper/ and work/
                }
                throw e;
            }
            Container c = new Container(stored, st);
            registry.add(c);
            volumes.addRefs(id.value(), mounts.stream().filter(m -> m.type().equals("volume")).map(ContainerMount::name)
                    .toList());
            registry.publish(c, "create");
            return new CreateResponse(id.value(), List.copyOf(warnings));
        }
    }

    private List<ContainerMount> planMounts(ContainerConfig cfg, HostConfig hc) {
        HostOptions.checkMountTypes(hc);
        HostOptions h = HostOptions.of(hc);
        // --tmpfs /path[:opts] as --mount type=tmpfs: one planner checks and records both.
        List<HostOptions.Mount> mounts = new ArrayList<>(h.mounts());
        h.tmpfs().forEach((target, options) -> mounts.add(HostOptions.Mount.tmpfs(target, options)));
        return mountPlanner.plan(hc.binds(), mounts, h.volumesFrom(),
                cfg.volumes(), h.volumeDriver(), ref -> {
                    Container src = registry.find(ref);
                    return src.cfg.mounts() == null ? List.of() : src.cfg.mounts();
                });
    }

    private static void validateHostConfig(HostConfig hc) {
        if (hc.restartPolicy() != null && hc.restartPolicy().name() != null) {
            String p = hc.restartPolicy().name();
            if (!List.of("", "no", "always", "on-failure", "unless-stopped").contains(p)) {
                throw new InvalidArgumentException("invalid restart policy: unknown policy '" + p
                        + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
            }
            if (hc.autoRemove() && !p.isEmpty() && !p.equals("no")) {
                throw new InvalidArgumentException(
                        "can't create 'AutoRemove' container with restart policy");
            }
        }
    }
}
