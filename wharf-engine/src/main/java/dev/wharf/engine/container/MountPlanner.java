package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.engine.volume.VolumeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a create request's {@code Binds}, {@code Mounts}, {@code VolumesFrom} and the config's
 * {@code Volumes} (the image's and anonymous ones) into the container's mounts, creating the
 * volumes they name, as Docker does at create.
 */
final class MountPlanner {

    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Set<String> MODES = Set.of("ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave",
            "rslave", "private", "rprivate", "consistent", "cached", "delegated");

    private final VolumeService volumes;

    MountPlanner(VolumeService volumes) {
        this.volumes = volumes;
    }

    /**
     * Validates everything first, then creates the volumes; returns the mounts by destination.
     * {@code volumeDriver} is {@code HostConfig.VolumeDriver}: as Docker, it only matters to the
     * volumes it would make ({@code -v name:/dst} and anonymous ones), so a driver Wharf does not
     * have fails the create only when such a volume is asked for.
     */
    List<ContainerMount> plan(List<String> binds, List<HostOptions.Mount> mounts, List<String> volumesFrom,
            Map<String, Object> configVolumes, String volumeDriver,
            Function<String, List<ContainerMount>> mountsOfContainer) {
        boolean needsDriver = false;
        Map<String, ContainerMount> out = new LinkedHashMap<>();
        if (volumesFrom != null) {
            for (String vf : volumesFrom) {
                String[] p = vf.split(":");
                String mode = p.length > 1 ? p[1] : "";
                if (!mode.isEmpty() && !mode.equals("ro") && !mode.equals("rw")) {
                    throw new InvalidArgumentException("invalid mode for volumes-from: " + mode);
                }
                for (ContainerMount m : mountsOfContainer.apply(p[0])) {
                    ContainerMount cm = mode.isEmpty() ? m : m.withRw(mode.equals("rw") && m.rw(), mode);
                    out.put(cm.destination(), cm);
                }
            }
        }
        List<ContainerMount> explicit = new ArrayList<>();
        for (String b : binds == null ? List.<String>of() : binds) {
            ContainerMount m = parseBind(b);
            needsDriver |= m.type().equals("volume");
            explicit.add(m);
        }
        for (HostOptions.Mount m : mounts == null ? List.<HostOptions.Mount>of() : mounts) {
            explicit.add(parseMount(m));
        }
        Set<String> seen = new java.util.HashSet<>();
        for (ContainerMount m : explicit) {
            if (!seen.add(m.destination())) {
                throw new InvalidArgumentException("Duplicate mount point: " + m.destination());
            }
            out.put(m.destination(), m);
        }
        if (configVolumes != null) {
            for (String dest : configVolumes.keySet()) {
                String d = clean(dest);
                if (!out.containsKey(d)) {
                    out.put(d, new ContainerMount("volume", null, null, d, "", true, "", false, "", null));
                    needsDriver = true;
                }
            }
        }
        if (needsDriver && volumeDriver != null && !volumeDriver.isEmpty() && !volumeDriver.equals("local")) {
            // Docker answers 404, which makes the docker CLI try to pull the image; 400 says what is wrong
            throw new InvalidArgumentException("error looking up volume plugin " + volumeDriver + ": plugin \""
                    + volumeDriver + "\" not found");
        }
        // All valid: now make what they name.
        List<ContainerMount> result = new ArrayList<>();
        for (ContainerMount m : out.values()) {
            result.add(materialize(m));
        }
        return result;
    }

    private ContainerMount materialize(ContainerMount m) {
        switch (m.type()) {
            case "volume" -> {
                String name = m.name() == null ? volumes.createAnonymous() : volumes.ensureNamed(m.name());
                return new ContainerMount("volume", name, null, m.destination(), m.mode(), m.rw(), "", m.noCopy(),
                        m.subpath(), null);
            }
            case "bind" -> {
                return m;
            }
            default -> {
                return m;
            }
        }
    }

    /** {@code -v src:dst[:opts]}: a bind when src is absolute, else a named volume. */
    ContainerMount parseBind(String spec) {
        String[] p = spec.split(":", -1);
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
        }
        String src = p[0];
        String dst = p[1];
        String mode = p.length == 3 ? p[2] : "";
        if (!dst.startsWith("/")) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec
                    + "': invalid mount config for type \"" + (src.startsWith("/") ? "bind" : "volume")
                    + "\": invalid mount path: '" + dst + "' mount path must be absolute");
        }
        boolean rw = true;
        String propagation = "";
        boolean noCopy = false;
        if (!mode.isEmpty()) {
            for (String o : mode.split(",")) {
                if (!MODES.contains(o)) {
                    throw new InvalidArgumentException("invalid mode: " + mode);
                }
                switch (o) {
                    case "ro" -> rw = false;
                    case "nocopy" -> noCopy = true;
                    case "shared", "rshared", "slave", "rslave", "private", "rprivate" -> propagation = o;
                    default -> { }
                }
            }
        }
        if (src.startsWith("/")) {
            Path host = Path.of(src).normalize();
            if (!Files.exists(host)) {
                try {
                    Files.createDirectories(host);
                } catch (IOException e) {
                    throw new InvalidArgumentException("error while creating mount source path '" + host + "': "
                            + e.getMessage());
                }
            }
            return new ContainerMount("bind", null, host.toString(), clean(dst), mode, rw,
                    propagation.isEmpty() ? "rprivate" : propagation, false, "", null);
        }
        if (!VOLUME_NAME.matcher(src).matches()) {
            throw new InvalidArgumentException("create " + src + ": \"" + src
                    + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed."
                    + " If you intended to pass a host directory, use absolute path");
        }
        return new ContainerMount("volume", src, null, clean(dst), mode, rw, "", noCopy, "", null);
    }

    /** One {@code HostConfig.Mounts} entry, as {@code --mount} sends it. */
    ContainerMount parseMount(HostOptions.Mount m) {
        String type = m.type();
        String src = m.source();
        String dst = m.target();
        boolean ro = m.readOnly();
        if (dst.isEmpty()) {
            throw new InvalidArgumentException("invalid mount config for type \"" + type
                    + "\": field Target must not be empty");
        }
        if (!dst.startsWith("/")) {
            throw new InvalidArgumentException("invalid mount config for type \"" + type + "\": invalid mount path: '"
                    + dst + "' mount path must be absolute");
        }
        switch (type) {
            case "bind" -> {
                if (src.isEmpty()) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": field Source must not be empty");
                }
                Path host = Path.of(src).normalize();
                boolean create = m.createMountpoint();
                if (!Files.exists(host)) {
                    if (!create) {
                        throw new InvalidArgumentException(
                                "invalid mount config for type \"bind\": bind source path does not exist: " + host);
                    }
                    try {
                        Files.createDirectories(host);
                    } catch (IOException e) {
                        throw new InvalidArgumentException("cannot create bind source " + host + ": " + e.getMessage());
                    }
                }
                String prop = m.propagation();
                return new ContainerMount("bind", null, host.toString(), clean(dst), "", !ro,
                        prop.isEmpty() ? "rprivate" : prop, false, "", null);
            }
            case "volume" -> {
                boolean noCopy = m.noCopy();
                String sub = m.subpath();
                if (!src.isEmpty() && !VOLUME_NAME.matcher(src).matches()) {
                    throw new InvalidArgumentException("invalid mount config for type \"volume\": invalid volume name: "
                            + src);
                }
                if (sub.startsWith("/") || Path.of(sub.isEmpty() ? "." : sub).normalize().startsWith("..")) {
                    throw new InvalidArgumentException("invalid mount config for type \"volume\": subpath must be a "
                            + "relative path within the volume");
                }
                return new ContainerMount("volume", src.isEmpty() ? null : src, null, clean(dst), "z", !ro, "",
                        noCopy, sub, null);
            }
            case "tmpfs" -> {
                if (!src.isEmpty()) {
                    throw new InvalidArgumentException("invalid mount config for type \"tmpfs\": field Source must "
                            + "not be specified");
                }
                List<String> opts = new ArrayList<>();
                if (m.tmpfsSizeBytes() > 0) {
                    opts.add("size=" + m.tmpfsSizeBytes());
                }
                if (m.tmpfsMode() > 0) {
                    opts.add("mode=" + Integer.toOctalString(m.tmpfsMode()));
                }
                if (!m.tmpfsOptions().isBlank()) {
                    for (String x : m.tmpfsOptions().split(",")) {
                        if (!x.matches("(size=\\d+[kmgKMG]?|mode=[0-7]{3,4}|uid=\\d+|gid=\\d+|nr_inodes=\\d+[kmg]?|"
                                + "ro|rw|noexec|exec|nosuid|suid|nodev|dev|(no)?atime|(no)?diratime|relatime|strictatime)")) {
                            throw new InvalidArgumentException("invalid tmpfs option \"" + x + "\"");
                        }
                        opts.add(x);
                    }
                }
                if (ro) {
                    opts.add("ro");
                }
                return new ContainerMount("tmpfs", null, "", clean(dst), "", !ro, "", false, "", opts);
            }
            default -> throw new InvalidArgumentException("invalid mount config: mount type unknown: \"" + type
                    + "\"");
        }
    }

    private static String clean(String p) {
        String s = Path.of(p).normalize().toString();
        return s.isEmpty() ? "/" : s;
    }
}
