package dev.wharf.runtime.network;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.InternalException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The netavark binary: {@code netavark --config DIR --aardvark-binary A setup|teardown NETNS} with
 * the {@link NetavarkConfig} as JSON on stdin. It makes the bridge, the veth pair, the addresses,
 * routes, firewall rules and port forwarding, and runs aardvark-dns for networks with DNS. Output
 * goes to files rather than pipes: the aardvark-dns it starts lives on and would hold a pipe open.
 * Each command is logged at debug level with its JSON, so a failure can be replayed by hand.
 */
public final class Netavark {

    private static final Logger LOG = LoggerFactory.getLogger(Netavark.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOST_LOCK = Path.of("/run/wharf-netavark.lock");
    private static final long TIMEOUT_SECONDS = 120;
    private static final ReentrantLock HOST_LOCK_IN_JVM = new ReentrantLock();

    private final Path binary;
    private final Path aardvark;
    private final Path configDir;

    /** Failure of a netavark command, with what it printed. */
    public static final class NetavarkException extends InternalException {
        public NetavarkException(String message) {
            super(message);
        }
    }

    public Netavark(Path binary, Path aardvark, Path configDir) {
        this.binary = binary;
        this.aardvark = aardvark;
        this.configDir = configDir;
    }

    public Path configDir() {
        return configDir;
    }

    /** Configures {@code netns}; returns the status per network name. */
    public Map<String, NetavarkStatus> setup(Path netns, NetavarkConfig cfg) {
        String out = run("setup", netns, cfg);
        try {
            return JSON.readValue(out, new TypeReference<Map<String, NetavarkStatus>>() { });
        } catch (IOException e) {
            throw new NetavarkException("netavark setup printed no status: " + out);
        }
    }

    /** Undoes {@link #setup} for the networks and ports in {@code cfg}. */
    public void teardown(Path netns, NetavarkConfig cfg) {
        run("teardown", netns, cfg);
    }

    /**
     * One netavark at a time on the host, as Podman runs it: two set-ups of a network that is not
     * there yet both create its bridge and chains, and the second fails ("Chain already exists").
     * The JVM lock orders this daemon's calls; the file lock, other daemons' on the same host.
     */
    private String run(String verb, Path netns, NetavarkConfig cfg) {
        return locked("netavark " + verb, () -> runLocked(verb, netns, cfg));
    }

    private <T> T locked(String what, java.util.function.Supplier<T> work) {
        HOST_LOCK_IN_JVM.lock();
        try (FileChannel ch = FileChannel.open(HOST_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = ch.lock()) {
            return work.get();
        } catch (IOException e) {
            throw new NetavarkException(what + ": cannot lock " + HOST_LOCK + ": " + e.getMessage());
        } finally {
            HOST_LOCK_IN_JVM.unlock();
        }
    }

    /**
     * Renames a running container in aardvark-dns: netavark has no command for it, so its entry
     * lines ({@code id ipv4s ipv6s names[ dns-servers]}, one file per network under
     * {@code aardvark-dns/}) get the new names, written under the lock every netavark run takes,
     * and aardvark-dns, told by SIGHUP as netavark tells it, reloads them.
     */
    public void renameDns(String containerId, Map<String, List<String>> names) {
        Path dir = configDir.resolve("aardvark-dns");
        boolean changed = locked("aardvark-dns rename", () -> {
            boolean any = false;
            for (Map.Entry<String, List<String>> e : names.entrySet()) {
                Path file = dir.resolve(e.getKey());
                try {
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
                    boolean touched = false;
                    for (int i = 1; i < lines.size(); i++) { // the first line is the network's
                        String[] f = lines.get(i).split(" ", -1);
                        if (f.length >= 4 && f[0].equals(containerId)) {
                            f[3] = String.join(",", e.getValue());
                            lines.set(i, String.join(" ", f));
                            touched = true;
                        }
                    }
                    if (touched) {
                        // written beside, not in, aardvark-dns/: aardvark-dns reads every file there
                        Path tmp = Files.createTempFile(configDir, "aardvark-rename-", "");
                        try {
                            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
                            Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
                            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        } finally {
                            Files.deleteIfExists(tmp);
                        }
                        any = true;
                    }
                } catch (IOException ex) {
                    throw new NetavarkException("aardvark-dns rename in " + file + ": " + ex.getMessage());
                }
            }
            return any;
        });
        if (changed) {
            reloadAardvark(dir.resolve("aardvark.pid"));
        }
    }

    private static void reloadAardvark(Path pidFile) {
        try {
            String pid = Files.readString(pidFile, StandardCharsets.UTF_8).strip();
            Process p = new ProcessBuilder("kill", "-HUP", pid).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                LOG.warn("aardvark-dns {} did not take SIGHUP: {}", pid, out);
            }
        } catch (IOException e) {
            LOG.warn("cannot reload aardvark-dns ({}): {}", pidFile, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String runLocked(String verb, Path netns, NetavarkConfig cfg) {
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            Files.createDirectories(configDir);
            String json = JSON.writeValueAsString(cfg);
            in = Files.createTempFile(configDir, "in-", ".json");
            out = Files.createTempFile(configDir, "out-", ".json");
            err = Files.createTempFile(configDir, "err-", ".txt");
            Files.writeString(in, json);
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--config", configDir.toString(),
                    "--aardvark-binary", aardvark.toString(), verb, netns.toString()));
            LOG.debug("printf '%s' | {}", json, String.join(" ", cmd));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            String path = System.getenv("PATH");
            pb.environment().put("PATH", (path == null ? "" : path + ":") + "/usr/sbin:/sbin:/usr/bin:/bin");
            pb.redirectInput(in.toFile());
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            // Every network operation waits behind this one (the host lock): a netavark stuck on
            // something (an xtables lock held elsewhere, say) must fail, not hang the daemon.
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NetavarkException("netavark " + verb + ": no answer in " + TIMEOUT_SECONDS + " s");
            }
            int rc = p.exitValue();
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (rc != 0) {
                String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.contains("syslog")).reduce((a, b) -> a + "\n" + b).orElse("");
                String msg = errorText(stdout, stderr);
                LOG.warn("netavark {} {} failed ({}): {}", verb, netns, rc, msg);
                throw new NetavarkException("netavark " + verb + ": " + msg);
            }
            return stdout;
        } catch (IOException e) {
            throw new NetavarkException("netavark " + verb + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetavarkException("netavark " + verb + ": interrupted");
        } finally {
            for (Path f : new Path[] {in, out, err}) {
                try {
                    if (f != null) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // a temp file in the config dir
                }
            }
        }
    }

    /** netavark prints {@code {"error":"..."}} on stdout, or text on stderr. */
    private static String errorText(String stdout, String stderr) {
        try {
            var node = JSON.readTree(stdout);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON
        }
        String s = (stdout + "\n" + stderr).strip();
        return s.isEmpty() ? "no output" : s;
    }
}
