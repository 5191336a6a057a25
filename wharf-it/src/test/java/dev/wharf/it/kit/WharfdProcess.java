package dev.wharf.it.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code bin/wharfd} on its own temporary data root, exec root and socket under /tmp.
 *
 * <pre>
 * /tmp/wharf-it-&lt;8 hex&gt;/
 *   data/         --data-root
 *   exec/         --exec-root (runc state is expected under exec/runc)
 *   wharf.sock    --host unix://…
 *   wharfd.log    stdout and stderr of every start, appended
 * </pre>
 *
 * {@link #close()} stops the daemon with SIGTERM and then removes whatever is left: runc
 * containers, conmon processes, mounts and the directory.
 */
public final class WharfdProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path base;
    private final Path dataRoot;
    private final Path execRoot;
    private final Path socket;
    private final Path log;
    private final Api api;
    private final String bridge;
    private final String bip;
    private final String addressPool;
    private Process process;
    private List<String> extraArgs = List.of();
    private Map<String, String> extraEnv = Map.of();

    private WharfdProcess(Path base) {
        this(base, null, null);
    }

    /** With {@code bridge} null, a name of its own; with {@code bip} null and a bridge given, none (the daemon chooses). */
    private WharfdProcess(Path base, String bridge, String bip) {
        this.base = base;
        this.dataRoot = base.resolve("data");
        this.execRoot = base.resolve("exec");
        this.socket = base.resolve("wharf.sock");
        this.log = base.resolve("wharfd.log");
        this.api = new Api(socket);
        // network names and subnets of its own, so that daemons running side by side never clash
        java.util.Random r = new java.util.Random(base.toString().hashCode() ^ System.nanoTime());
        this.bridge = bridge != null ? bridge : "wi" + base.getFileName().toString().substring("wharf-it-".length());
        this.bip = bridge != null ? bip : "10." + (200 + r.nextInt(50)) + "." + r.nextInt(256) + ".1/24";
        this.addressPool = "base=10." + (100 + r.nextInt(100)) + "." + (16 * r.nextInt(16)) + ".0/20,size=28";
    }

    /** Creates fresh roots and starts the daemon; returns once {@code GET /_ping} answers {@code OK}. */
    public static WharfdProcess start() {
        return start(null, null, List.of());
    }

    /** {@link #start()} with extra wharfd flags, kept for {@link #restart()}. */
    public static WharfdProcess start(List<String> extraArgs) {
        return start(null, null, extraArgs);
    }

    /**
     * Like {@link #start()}, with the data root on a file system of its own of {@code bytes} (a
     * tmpfs), so a test can fill the daemon's disk; {@link #close()} unmounts it.
     */
    public static WharfdProcess startOnSmallDisk(long bytes) {
        WharfdProcess wharfd = prepare(null, null, List.of());
        try {
            Files.createDirectories(wharfd.dataRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exec(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", wharfd.dataRoot.toString()));
        return wharfd.boot();
    }

    /** {@link #start()} with variables added to (or replacing) the daemon's environment, PATH say. */
    public static WharfdProcess startWithEnv(Map<String, String> env) {
        WharfdProcess w = prepare(null, null, List.of());
        w.extraEnv = Map.copyOf(env);
        return w.boot();
    }

    /**
     * Like {@link #start()}, with the default bridge's device name given (and its {@code --bip}, or
     * none so that the daemon chooses a free subnet itself).
     */
    public static WharfdProcess start(String bridge, String bip) {
        return start(bridge, bip, List.of());
    }

    private static WharfdProcess start(String bridge, String bip, List<String> extraArgs) {
        return prepare(bridge, bip, extraArgs).boot();
    }

    private static WharfdProcess prepare(String bridge, String bip, List<String> extraArgs) {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path base = Path.of("/tmp", "wharf-it-" + id);
        WharfdProcess wharfd = new WharfdProcess(base, bridge, bip);
        wharfd.extraArgs = List.copyOf(extraArgs);
        return wharfd;
    }

    private WharfdProcess boot() {
        WharfdProcess wharfd = this;
        try {
            Files.createDirectories(wharfd.dataRoot);
            Files.createDirectories(wharfd.execRoot);
            Files.createFile(wharfd.log);
            wharfd.launch();
            return wharfd;
        } catch (IOException | RuntimeException | Error e) {
            try {
                wharfd.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : sneaky(e);
        }
    }

    private static RuntimeException sneaky(Throwable e) {
        if (e instanceof RuntimeException r) return r;
        if (e instanceof Error err) throw err;
        return new IllegalStateException(e);
    }

    private void launch() throws IOException {
        Files.deleteIfExists(socket);
        Path repo = Repo.root();
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/wharfd").toString(),
                "--data-root", dataRoot.toString(),
                "--exec-root", execRoot.toString(),
                "--host", "unix://" + socket,
                "--bridge", bridge, "--default-address-pool", addressPool));
        if (bip != null) {
            cmd.addAll(List.of("--bip", bip));
        }
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", Repo.javaHome());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("WHARF_HOST");
        pb.environment().putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, "=== wharf-it: starting " + String.join(" ", pb.command()) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
        awaitPing();
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("wharfd exited with " + process.exitValue() + " before answering /_ping\n" + logText());
            }
            if (Files.exists(socket)) {
                try {
                    Api.Response ping = api.send("GET", "/_ping", Map.of(), null, Duration.ofSeconds(2));
                    if (ping.status() == 200 && ping.text().equals("OK")) return;
                    last = new IllegalStateException("ping answered " + ping);
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            sleep(50);
        }
        throw new AssertionError("wharfd did not answer /_ping within " + START_TIMEOUT + " (last: " + last + ")\n" + logText());
    }

    public Path base() {
        return base;
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path execRoot() {
        return execRoot;
    }

    /** The default bridge's device name. */
    public String bridgeName() {
        return bridge;
    }

    public Path runcRoot() {
        return execRoot.resolve("runc");
    }

    public Path socket() {
        return socket;
    }

    public String host() {
        return "unix://" + socket;
    }

    public Path log() {
        return log;
    }

    public Api api() {
        return api;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * CPU time the daemon has used so far, user plus system, in clock ticks (USER_HZ, 100 a second
     * on Linux), from {@code /proc/<pid>/stat}.
     */
    public long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            // after the command name in parentheses: state is field 3, utime 14 and stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last {@code lines} lines of the daemon's log. */
    public String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGKILLs the daemon (no cleanup of its own); containers and their conmons keep running. */
    public void kill9() {
        if (process == null) return;
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
    }

    /** SIGTERMs the daemon and waits for it to exit; containers keep running. */
    public void stop() {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!waitFor(process, STOP_TIMEOUT)) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
            throw new AssertionError("wharfd did not exit within " + STOP_TIMEOUT + " of SIGTERM");
        }
    }

    /** Starts the daemon again after {@link #kill9()} (or a stop), on the same roots and socket. */
    public void startAgain() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the daemon again on the same roots and socket (stopping it first with SIGTERM if it runs). */
    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        try {
            stop();
        } catch (RuntimeException | AssertionError e) {
            problems.add(e);
        }
        try {
            for (String id : runcContainers()) {
                exec(List.of("runc", "--root", runcRoot().toString(), "delete", "-f", id));
            }
            for (ProcessHandle conmon : conmons()) conmon.destroyForcibly();
            removeNetworkLeftovers();
            List<String> mounts = new ArrayList<>(LeakCheck.mountsUnder(base));
            mounts.sort(Comparator.comparingInt(String::length).reversed());
            for (String mount : mounts) exec(List.of("umount", "-l", mount));
            if (Files.exists(base)) exec(List.of("rm", "-rf", "--one-file-system", base.toString()));
        } catch (RuntimeException e) {
            problems.add(e);
        }
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError("cleaning up after wharfd at " + base + " failed");
            problems.forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * What containers killed without their daemon leave: the default bridge (its veths go with the
     * namespaces) and the link that kept it, the iptables rules that name its subnet and the
     * isolation rules that name the bridge. A clean run leaves none of these.
     */
    private void removeNetworkLeftovers() {
        String subnet = bip == null ? "no-such-subnet" : bip.substring(0, bip.lastIndexOf('.')) + ".0/24";
        exec(List.of("sh", "-c", "ip link del " + bridge + " 2>/dev/null; ip link del " + keeperLink(bridge)
                + " 2>/dev/null; for t in filter nat; do iptables -t $t -S"
                + " | grep -F '" + subnet + "' | sed 's/^-A/-D/' | while read -r r; do eval iptables -t $t $r; done;"
                + " done; for x in iptables ip6tables; do $x -t mangle -S | grep -E ' " + bridge + "( |$)'"
                + " | sed 's/^-A/-D/' | while read -r r; do eval $x -t mangle $r; done; done; true"));
    }

    /** The veth that the daemon enslaves to an idle bridge to keep it (BridgeKeeper's naming). */
    static String keeperLink(String bridge) {
        return "wk-" + String.format("%08x", bridge.hashCode());
    }

    /** IDs of the containers in this daemon's runc root. */
    public List<String> runcContainers() {
        if (!Files.isDirectory(runcRoot())) return List.of();
        String out = exec(List.of("runc", "--root", runcRoot().toString(), "list", "-q"));
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** conmon processes whose command line mentions this daemon's roots. */
    public List<ProcessHandle> conmons() {
        String root = base.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/conmon") || c.equals("conmon")).orElse(false))
                .filter(p -> cmdline(p.pid()).contains(root))
                .toList();
    }

    /** The process's command line, its arguments separated by spaces (empty once it is gone). */
    public static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    static String exec(List<String> command) {
        CliResult result = ProcessRunner.run(command, Map.of(), null, Duration.ofSeconds(30));
        if (result.exitCode() != 0) throw new IllegalStateException("failed: " + result);
        return result.stdout();
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
