package dev.wharf.engine.build;

import dev.wharf.archive.ScopedPath;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.builder.dispatch.BuildBackend;
import dev.wharf.builder.dispatch.BuildOutput;
import dev.wharf.builder.dispatch.StepFailedException;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.container.WaitResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;

/**
 * A RUN step: a container of Wharf's own runtime (same confinement, seccomp and networks as any
 * other) made from the parent image with the step's command, environment, user and working
 * directory and its mounts; its output streams into the build; its changes become the layer.
 * The container is removed afterwards (unless {@code --rm=false}), a failed one too, so a failing
 * step leaves nothing behind but its error.
 */
final class RunStep {

    private final Session s;

    RunStep(Session s) {
        this.s = s;
    }

    StagedLayer run(BuildBackend.RunSpec spec, BuildOutput out) throws IOException {
        if (spec.parentId() == null) {
            throw new StepFailedException("cannot RUN in an empty image (FROM scratch): there is no shell", 0);
        }
        ContainerService containers = s.deps().containers();
        List<Map<String, Object>> mounts = new ArrayList<>();
        List<String> env = new ArrayList<>(spec.env());
        List<Lock> locks = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (BuildBackend.Mount m : spec.mounts()) {
            Map<String, Object> mount = mount(m, env, locks);
            if (mount != null) {
                mounts.add(mount);
                targets.add(m.target());
            }
        }
        String id = null;
        boolean ok = false;
        try {
            id = create(spec, env, mounts);
            String shortId = id.substring(0, 12);
            out.stream(" ---> Running in " + shortId + "\n");
            int code;
            try {
                code = runAndWait(id, out);
            } finally {
                s.runEnded(id);
            }
            s.checkNotCancelled();
            if (code != 0) {
                throw new StepFailedException("The command '" + String.join(" ", spec.argv())
                        + "' returned a non-zero code: " + code, code);
            }
            StagedLayer layer = diff(id, spec.parentId(), targets);
            ok = true;
            if (s.options().rm() || s.options().forceRm()) {
                containers.remove(id, true, true);
                out.stream("Removing intermediate container " + shortId + "\n");
            }
            return layer;
        } finally {
            for (Lock l : locks) {
                l.unlock();
            }
            if (!ok && id != null && (s.options().rm() || s.options().forceRm())) {
                try {
                    containers.remove(id, true, true);
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
    }

    private String create(BuildBackend.RunSpec spec, List<String> env, List<Map<String, Object>> mounts) {
        BuildOptions o = s.options();
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("Healthcheck", Map.of("Test", List.of("NONE")));
        ContainerConfig cfg = new ContainerConfig("", "", spec.user() == null ? "" : spec.user(), false, true, true,
                null, false, false, false, env, spec.argv(), spec.parentId(), null,
                spec.workdir() == null ? "" : spec.workdir(), List.of(), null, null, null, other);
        Map<String, Object> host = new LinkedHashMap<>(o.limits());
        if (!mounts.isEmpty()) {
            host.put("Mounts", mounts);
        }
        if (!o.extraHosts().isEmpty()) {
            host.put("ExtraHosts", o.extraHosts());
        }
        String network = spec.network() != null ? spec.network()
                : o.networkMode() == null || o.networkMode().isEmpty() ? "default" : o.networkMode();
        HostConfig hc = new HostConfig(network, false, null, null, null, false, false, null, o.shmSize(), null, host);
        return s.deps().containers().create(null, new ContainerCreateRequest(cfg, hc, null)).id();
    }

    /** Attaches before start (so no output is lost), starts, streams output, returns the exit code. */
    private int runAndWait(String id, BuildOutput out) throws IOException {
        ContainerService containers = s.deps().containers();
        CountDownLatch attached = new CountDownLatch(1);
        Thread attacher = Thread.ofVirtual().name("build-run-attach").start(() -> {
            try {
                containers.attach(id, new dev.wharf.engine.container.AttachOptions(true, false, false, true, true), () -> {
                    attached.countDown();
                    return new dev.wharf.engine.container.AttachOptions.Streams(InputStream.nullInputStream(), new FrameDemux(out));
                });
            } catch (IOException | RuntimeException e) {
                // the output is lost, the exit code still decides
            } finally {
                attached.countDown();
            }
        });
        try {
            if (!attached.await(30, TimeUnit.SECONDS)) {
                throw new IOException("could not attach to the build container " + id);
            }
            CompletableFuture<WaitResponse> exit = containers.waitFor(id, "next-exit");
            try {
                containers.start(id);
            } catch (RuntimeException e) {
                throw new StepFailedException(e.getMessage(), 127, e);
            }
            s.runStarted(id);
            long code = exit.get().statusCode();
            attacher.join(java.time.Duration.ofSeconds(30));
            return (int) code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + id, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("waiting for " + id + ": " + e.getCause(), e.getCause());
        }
    }

    /** The container's changes as a staged layer, mount points this step made left out. */
    private StagedLayer diff(String id, String parentId, List<String> targets) throws IOException {
        Set<String> exclude = mountPoints(s.deps().files().changesDir(id), s.lowers(parentId), targets);
        Path tar = s.tmp().resolve("run-" + id.substring(0, 12) + ".tar");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 20)) {
            s.deps().files().writeChanges(id, o, exclude::contains);
        }
        try (InputStream in = Files.newInputStream(tar)) {
            return new StagedLayer(s.layers().stage(in));
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /**
     * Mount targets the runtime created in the upper directory (and parents made only for them)
     * that the parent image does not have: they are no part of the step's result.
     */
    static Set<String> mountPoints(Path upper, List<Path> lowers, List<String> targets) throws IOException {
        Set<String> out = new HashSet<>();
        for (String t : targets) {
            String target = Path.of("/", t).normalize().toString().substring(1);
            String rel = target;
            while (!rel.isEmpty() && !inLowers(lowers, rel)) {
                if (!rel.equals(target) && !onlyExcluded(upper.resolve(rel), rel, out)) {
                    break;
                }
                out.add(rel);
                int slash = rel.lastIndexOf('/');
                rel = slash < 0 ? "" : rel.substring(0, slash);
            }
        }
        return out;
    }

    private static boolean onlyExcluded(Path dir, String rel, Set<String> excluded) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (Stream<Path> st = Files.list(dir)) {
            return st.allMatch(c -> excluded.contains(rel + "/" + c.getFileName()));
        }
    }

    private static boolean inLowers(List<Path> lowers, String rel) {
        for (Path l : lowers) {
            if (Files.exists(l.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    // ---- RUN --mount ----

    private Map<String, Object> mount(BuildBackend.Mount m, List<String> env, List<Lock> locks) throws IOException {
        return switch (m.type()) {
            case "bind" -> bind(m);
            case "cache" -> {
                Path dir = s.deps().cacheMounts().dir(m.id(), m.mode(), m.uid(), m.gid());
                if (m.sharing().equals("locked")) {
                    Lock l = s.deps().cacheMounts().lock(m.id());
                    l.lock();
                    locks.add(l);
                }
                yield bindOf(dir, m.target(), m.readOnly());
            }
            case "tmpfs" -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("Type", "tmpfs");
                t.put("Target", m.target());
                // BuildKit's tmpfs lets a RUN execute what it unpacks there, unlike a container's
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("Options", List.of(List.of("exec")));
                if (m.size() != null) {
                    o.put("SizeBytes", sizeBytes(m.size()));
                }
                t.put("TmpfsOptions", o);
                yield t;
            }
            case "secret" -> {
                byte[] value = s.context().secrets.get(m.id());
                if (value == null) {
                    if (m.required()) {
                        throw new InvalidArgumentException("secret " + m.id() + ": not found");
                    }
                    yield null;
                }
                if (m.env() != null) {
                    env.add(m.env() + "=" + new String(value, StandardCharsets.UTF_8));
                }
                Path f = s.secretFile(m.id(), value, m.mode() == null ? 0400 : Integer.parseInt(m.mode(), 8), m.uid(),
                        m.gid());
                yield bindOf(f, m.target(), true);
            }
            case "inline" -> {
                Path f = Files.createTempFile(s.tmp(), "heredoc-", "");
                Files.writeString(f, m.content());
                Files.setPosixFilePermissions(f, ContextDir.perms(m.mode() == null ? 0644 : Integer.parseInt(m.mode(), 8)));
                yield bindOf(f, m.target(), true);
            }
            default -> throw new InvalidArgumentException("unsupported mount type \"" + m.type() + "\"");
        };
    }

    private Map<String, Object> bind(BuildBackend.Mount m) throws IOException {
        Path root = m.fromImageId() == null ? s.context().root : s.view(m.fromImageId()).root();
        String src = m.source() == null ? "/" : "/" + Glob.relative(m.source(), "source");
        Path p = ScopedPath.resolve(root, src, true);
        if (p == null || !Files.exists(p)) {
            throw new InvalidArgumentException("failed to compute cache key: \"" + src + "\": not found");
        }
        if (!m.readOnly()) {
            // writes to a read-write bind are thrown away: give the step a copy
            Path copy = Files.createTempDirectory(s.tmp(), "bind-");
            if (Files.isDirectory(p)) {
                copyDir(p, copy);
            } else {
                Path f = copy.resolve(p.getFileName().toString());
                Files.copy(p, f, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                p = f;
                return bindOf(p, m.target(), false);
            }
            p = copy;
        }
        return bindOf(p, m.target(), m.readOnly());
    }

    private static void copyDir(Path src, Path dst) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private static Map<String, Object> bindOf(Path source, String target, boolean readOnly) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("Type", "bind");
        b.put("Source", source.toString());
        b.put("Target", target);
        b.put("ReadOnly", readOnly);
        return b;
    }

    static long sizeBytes(String s) {
        String v = s.strip().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        char last = v.isEmpty() ? '0' : v.charAt(v.length() - 1);
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            default -> { }
        }
        if (mult > 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v) * mult;
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid tmpfs size: " + s);
        }
    }
}
