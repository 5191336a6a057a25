package dev.wharf.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.base.id.ContainerId;
import dev.wharf.runtime.Launch;
import dev.wharf.runtime.LogReader;
import dev.wharf.runtime.OciRuntime;
import dev.wharf.runtime.RuntimeConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.runtime.sys.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Root test fixture for the runtime adapter ({@link OciRuntime}) running the specs this package
 * builds (it lives here, not in wharf-runtime, because the spec is the engine's): a private runc root, exit and socket dirs under one temp dir, a busybox
 * rootfs, and cleanup of every container it made ({@code runc delete -f}, conmon gone, temp dir
 * removed).
 */
final class RuntimeFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path base;
    final Path exits;
    final Path sockets;
    final Path rootfs;
    final OciRuntime runtime;
    final String cgroupParent = "wharf-test-" + Long.toHexString(System.nanoTime());
    private final List<Launch> launched = new ArrayList<>();
    private final Map<String, ContainerId> ids = new ConcurrentHashMap<>();

    RuntimeFixture() throws IOException, InterruptedException {
        assertRoot();
        base = Files.createTempDirectory("wharf-rt-");
        exits = Files.createDirectories(base.resolve("exits"));
        sockets = Files.createDirectories(base.resolve("sockets"));
        rootfs = busyboxRootfs(base.resolve("rootfs"));
        runtime = new OciRuntime(RuntimeConfig.defaults(base.resolve("runc")));
    }

    static void assertRoot() throws IOException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
        assertThat(uid).as("root integration tests must run as root (uid 0)").isEqualTo("0");
    }

    /** rootfs/bin/busybox from busybox-static plus a symlink for each applet of {@code busybox --list}. */
    static Path busyboxRootfs(Path rootfs) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Process p = new ProcessBuilder("/bin/busybox", "--list").start();
        String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String applet : list.split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        return rootfs;
    }

    SpecInput input(String id, List<String> args) {
        return new SpecInput(rootfs, false, args, List.of(), "/", 0, 0, List.of(), false, id,
                new NetworkNamespace.New(), List.of(), "/" + cgroupParent + "/" + id,
                dev.wharf.runtime.cgroup.Cgroups.isV2(), Map.of());
    }

    /** The container ID the runtime knows the test's container {@code name} by (a fresh one per name). */
    ContainerId id(String name) {
        return ids.computeIfAbsent(name, n -> ContainerId.random());
    }

    /**
     * Writes the bundle for the container {@code name} (also its hostname) and returns its Launch
     * (not started), under the container ID {@link #id} gives it.
     */
    Launch prepare(String name, List<String> args, boolean tty, boolean stdin, UnaryOperator<SpecInput> tweak)
            throws IOException {
        Path bundle = Files.createDirectories(base.resolve("bundles").resolve(name));
        SpecInput in = tweak.apply(input(name, args).withTerminal(tty));
        JSON.writeValue(bundle.resolve("config.json").toFile(), SpecGenerator.generate(in));
        Launch l = new Launch(id(name), name, bundle, exits, sockets, bundle.resolve("ctr.log"),
                bundle.resolve("conmon.pid"), tty, stdin, false);
        launched.add(l);
        return l;
    }

    Launch prepare(String name, List<String> args) throws IOException {
        return prepare(name, args, false, false, UnaryOperator.identity());
    }

    /** The log's records joined into logical lines. */
    List<LogReader.Line> logLines(Launch l) throws IOException {
        List<LogReader.Line> out = new ArrayList<>();
        var j = LogReader.joining(out::add);
        LogReader.read(l.logPath(), 0, j);
        LogReader.flush(j);
        return out;
    }

    @Override
    public void close() throws Exception {
        for (Launch l : launched) {
            try {
                runtime.delete(l.id(), true);
            } catch (RuntimeException e) {
                System.err.println("cleanup of " + l.id() + ": " + e.getMessage());
            }
            Optional<Integer> pid = runtime.conmonPid(l.conmonPidFile());
            if (pid.isPresent()) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (runtime.conmonAlive(pid.get()) && System.nanoTime() < deadline) {
                    Thread.sleep(10); // conmon is not our child: nothing to wait on
                }
                assertThat(runtime.conmonAlive(pid.get())).as("conmon of %s still running", l.id()).isFalse();
            }
        }
        // runc removes the container's cgroup, not the parent this fixture made up
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p.resolve(cgroupParent));
            }
        }
        Files.deleteIfExists(Path.of("/sys/fs/cgroup").resolve(cgroupParent));
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = line.split(" ")[4];
            if (mp.startsWith(base.toString())) {
                Mounts.unmount(Path.of(mp));
            }
        }
        try (Stream<Path> s = Files.walk(base)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
