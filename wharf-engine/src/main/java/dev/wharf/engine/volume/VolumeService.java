package dev.wharf.engine.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.model.volume.Volume;
import dev.wharf.runtime.sys.Mounter;
import dev.wharf.runtime.sys.Mounts;
import dev.wharf.store.table.VolumeTable;
import dev.wharf.store.table.VolumeTable.VolumeRow;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Named and anonymous volumes of the {@code local} driver. Layout under the data root:
 * <pre>
 *   volumes/&lt;name&gt;/_data     the volume's files (or, with driver options, a mount made on first use)
 * </pre>
 * The directory is made before the row is inserted and removed after the row is deleted, so a
 * crash leaves at worst an unlisted directory, never a listed volume without data.
 */
public final class VolumeService {

    /** Label Docker 23+ puts on anonymous volumes. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VolumeTable table;
    private final EventService events;
    private final Path root;
    private final Mounter mounter;

    public VolumeService(VolumeTable table, EventService events, Path dataRoot) throws IOException {
        this(table, events, dataRoot, Mounter.host());
    }

    /** With {@code mounter} for the unmount of a volume mounted with driver options (a fake in unit tests). */
    public VolumeService(VolumeTable table, EventService events, Path dataRoot, Mounter mounter) throws IOException {
        this.table = table;
        this.events = events;
        this.mounter = mounter;
        this.root = dataRoot.resolve("volumes");
        Files.createDirectories(root);
    }

    /** {@code POST /volumes/create}; creating an existing volume returns it, as Docker does. */
    public Volume create(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
        return toView(ensure(name, driver, driverOpts, labels, false), false);
    }

    /** Creates a volume for a container's anonymous mount. */
    public String createAnonymous() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String name = HexFormat.of().formatHex(b);
        ensure(name, "local", Map.of(), Map.of(ANONYMOUS_LABEL, ""), true);
        return name;
    }

    /** Finds or creates a named volume for a container mount. */
    public String ensureNamed(String name) {
        return ensure(name, "local", Map.of(), Map.of(), false).name();
    }

    private VolumeRow ensure(String name, String driver, Map<String, String> opts, Map<String, String> labels,
            boolean anonymous) {
        String d = driver == null || driver.isEmpty() ? "local" : driver;
        if (!d.equals("local")) {
            throw new NotFoundException("plugin \"" + d + "\" not found");
        }
        String n = name == null || name.isEmpty() ? null : name;
        // A nameless `volume create` gets a random name and, as in Docker 23+, the anonymous label, so a
        // plain `volume prune` removes it once no container uses it.
        boolean anon = anonymous || n == null;
        if (n == null) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            n = HexFormat.of().formatHex(b);
        } else if (!NAME.matcher(n).matches()) {
            throw new InvalidArgumentException("create " + n + ": \"" + n
                    + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed."
                    + " If you intended to pass a host directory, use absolute path");
        }
        Map<String, String> o = opts == null ? Map.of() : opts;
        validateOptions(n, o);
        var existing = table.get(n);
        if (existing.isPresent()) {
            return existing.get();
        }
        Map<String, String> l = new LinkedHashMap<>(labels == null ? Map.of() : labels);
        if (anon) {
            l.putIfAbsent(ANONYMOUS_LABEL, "");
        }
        try {
            Files.createDirectories(data(n));
            VolumeRow row = new VolumeRow(n, d, Json.mapper().writeValueAsString(l),
                    Json.mapper().writeValueAsString(o), Times.nanos(Instant.now()), anon, false);
            if (!table.insert(row)) {
                return table.get(n).orElseThrow();
            }
            events.publish("volume", "create", n, Map.of("driver", d));
            return row;
        } catch (IOException e) {
            throw new InternalException("create " + n + ": " + e.getMessage(), e);
        }
    }

    private static void validateOptions(String name, Map<String, String> o) {
        for (String k : o.keySet()) {
            if (!Set.of("type", "device", "o", "size").contains(k)) {
                throw new InvalidArgumentException("create " + name + ": invalid option key: \"" + k + "\"");
            }
        }
        if (!o.isEmpty() && (o.get("type") == null || o.get("device") == null)) {
            throw new InvalidArgumentException("create " + name
                    + ": missing required option: \"type\" and \"device\" must both be set");
        }
    }

    public Volume inspect(String name) {
        return toView(get(name), false);
    }

    private VolumeRow get(String name) {
        return table.get(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
    }

    /** {@code GET /volumes}, filtered as moby's volume service does. */
    public List<Volume> list(Filters f) {
        f.only(Set.of("name", "label", "dangling", "driver"));
        Boolean dangling = f.contains("dangling") ? f.bool("dangling", false) : null;
        List<Volume> out = new ArrayList<>();
        for (VolumeRow r : table.list()) {
            if (!f.regexMatch("name", r.name()) || !f.exactMatch("driver", r.driver())
                    || !f.labelsMatch(labels(r))) {
                continue;
            }
            if (dangling != null && dangling != table.users(r.name()).isEmpty()) {
                continue;
            }
            out.add(toView(r, false));
        }
        return out;
    }

    /**
     * {@code DELETE /volumes/{name}}: refused while any container, running or not, uses it, as
     * Docker does; {@code force} only forgives a volume that is already gone.
     */
    public void remove(String name, boolean force) {
        VolumeRow r = get(name);
        List<String> users = table.users(name);
        if (!users.isEmpty()) {
            throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }
        destroy(r);
    }

    /** Removes volumes nobody uses: anonymous ones, or all with {@code all=true}. */
    public Map<String, Object> prune(Filters f) {
        f.only(Set.of("label", "all", "label!"));
        boolean all = f.get("all").stream().anyMatch(v -> v.equals("true") || v.equals("1"));
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeRow r : table.list()) {
            if (!table.users(r.name()).isEmpty() || (!all && !r.anonymous())) {
                continue;
            }
            Map<String, String> labels = labels(r);
            if (!f.labelsMatch(labels)) {
                continue;
            }
            boolean excluded = false;
            for (String neg : f.get("label!")) {
                int i = neg.indexOf('=');
                String k = i < 0 ? neg : neg.substring(0, i);
                if (labels.containsKey(k) && (i < 0 || neg.substring(i + 1).equals(labels.get(k)))) {
                    excluded = true;
                }
            }
            if (excluded) {
                continue;
            }
            reclaimed += size(data(r.name()));
            destroy(r);
            deleted.add(r.name());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VolumesDeleted", deleted);
        m.put("SpaceReclaimed", reclaimed);
        return m;
    }

    /** Removes the anonymous volumes only {@code containerId} used (for {@code rm -v} and {@code --rm}). */
    public void removeAnonymousOf(String containerId, List<String> volumes) {
        for (String v : volumes) {
            table.get(v).ifPresent(r -> {
                if (r.anonymous() && table.users(v).stream().allMatch(containerId::equals)) {
                    destroy(r);
                }
            });
        }
    }

    /**
     * Unmounts first, as Docker does: a volume that cannot be unmounted stays listed, unchanged;
     * then the row goes, then the files (a crash in between leaves an unlisted directory).
     */
    private void destroy(VolumeRow r) {
        try {
            mounter.unmount(data(r.name()));
        } catch (IOException e) {
            throw new InternalException("remove " + r.name() + ": " + e.getMessage(), e);
        }
        table.delete(r.name());
        try {
            AtomicFiles.deleteTree(root.resolve(r.name()));
        } catch (IOException e) {
            throw new InternalException("remove " + r.name() + ": " + e.getMessage(), e);
        }
        events.publish("volume", "destroy", r.name(), Map.of("driver", r.driver()));
    }

    public void addRefs(String containerId, List<String> volumes) {
        table.addRefs(containerId, volumes);
    }

    public List<String> volumesOf(String containerId) {
        return table.volumesOf(containerId);
    }

    /**
     * The host directory to bind for a volume; a volume with driver options (tmpfs, bind) gets its
     * mount on first use.
     */
    public Path mountpoint(String name) {
        VolumeRow r = get(name);
        Path p = data(name);
        Map<String, String> o = options(r);
        try {
            Files.createDirectories(p);
            if (!o.isEmpty() && !Mounts.isMountPoint(p)) {
                mountWithOptions(o, p);
            }
        } catch (IOException e) {
            throw new InternalException("mount volume " + name + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static void mountWithOptions(Map<String, String> o, Path target) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", o.get("type")));
        String opts = o.getOrDefault("o", "");
        if (o.containsKey("size")) {
            opts = opts.isEmpty() ? "size=" + o.get("size") : opts + ",size=" + o.get("size");
        }
        if (!opts.isEmpty()) {
            cmd.add("-o");
            cmd.add(opts);
        }
        cmd.add(o.get("device"));
        cmd.add(target.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // mount(8) adds a line pointing at dmesg(1): one line is what a client shows
            String out = new String(p.getInputStream().readAllBytes()).strip().lines()
                    .filter(l -> !l.contains("dmesg(1)")).map(String::strip).collect(Collectors.joining(" "));
            if (p.waitFor() != 0) {
                throw new InvalidArgumentException("error while mounting volume '" + target + "': " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Copies the image's content at the mount path into a fresh empty volume, once, keeping
     * ownership and modes (Docker's copy-up).
     */
    public void populate(String name, Path imageDir) {
        VolumeRow r = get(name);
        if (r.populated()) {
            return;
        }
        Path dst = data(name);
        try {
            boolean empty;
            try (var s = Files.list(dst)) {
                empty = s.findAny().isEmpty();
            }
            if (empty && Files.isDirectory(imageDir, LinkOption.NOFOLLOW_LINKS)) {
                Process p = new ProcessBuilder("cp", "-a", "--", imageDir + "/.", dst.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() != 0) {
                    throw new InternalException("copy image content into volume " + name + ": " + out);
                }
                var attrs = Files.readAttributes(imageDir, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(dst, "unix:uid", attrs.get("uid"));
                Files.setAttribute(dst, "unix:gid", attrs.get("gid"));
                Files.setAttribute(dst, "unix:mode", attrs.get("mode"));
            }
            table.markPopulated(name);
        } catch (IOException e) {
            throw new InternalException("copy into volume " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted", e);
        }
    }

    private Volume toView(VolumeRow r, boolean usage) {
        Volume.UsageData u = usage ? new Volume.UsageData(size(data(r.name())), table.users(r.name()).size()) : null;
        return new Volume(Times.rfc3339(Instant.ofEpochSecond(r.createdNanos() / 1_000_000_000L)), r.driver(),
                labels(r), data(r.name()).toString(), r.name(), options(r), "local", u);
    }

    /** Volumes with their sizes and reference counts, for {@code system df}. */
    public List<Volume> usage() {
        return table.list().stream().map(r -> toView(r, true)).toList();
    }

    private Path data(String name) {
        return root.resolve(name).resolve("_data");
    }

    private static Map<String, String> labels(VolumeRow r) {
        return parse(r.labels());
    }

    private static Map<String, String> options(VolumeRow r) {
        return parse(r.options());
    }

    private static Map<String, String> parse(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }

    static long size(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a vanished file counts as nothing
        }
        return total[0];
    }
}
