package dev.wharf.runtime.network;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Wharf's bridge networks from forwarding to each other, in rules of its own rather than
 * netavark's: netavark 1.4 removes its {@code FORWARD -> NETAVARK_ISOLATION_1} jump when one
 * network is torn down completely, which opens every other network until the next set-up.
 *
 * <p>The rules live in the mangle table, which netavark never touches, so no netavark rule can sit
 * in front of them. For a bridge {@code B}:
 * <pre>
 *   -t mangle -A FORWARD -j WHARF-ISOLATION-1                       (once)
 *   -A WHARF-ISOLATION-1 -m conntrack --ctstate DNAT -j RETURN      (once: published ports stay reachable)
 *   -A WHARF-ISOLATION-1 -i B ! -o B -j WHARF-ISOLATION-2
 *   -A WHARF-ISOLATION-2 -o B -j DROP
 * </pre>
 * A packet that leaves one Wharf bridge for another is dropped; one that leaves for the host's own
 * interfaces, or that belongs to a connection to a published port, passes. Rules are added and
 * deleted one bridge at a time, never by flushing, so several daemons on one host can share them.
 * Both iptables and ip6tables get them when present (a kernel without IPv6 tables, whose
 * {@code ip6tables-save} fails, has no IPv6 to isolate).
 *
 * <p>It fails closed: a rule that cannot be added is an {@link IsolationException} carrying the
 * tool's own message, so the network, or the container start, that needed it fails too. The tools
 * are looked up on the daemon's PATH first, as Docker looks up iptables.
 */
public final class Isolation {

    private static final Logger LOG = LoggerFactory.getLogger(Isolation.class);
    static final String STAGE1 = "WHARF-ISOLATION-1";
    static final String STAGE2 = "WHARF-ISOLATION-2";

    private static final Path LOCK = Path.of("/run/wharf-isolation.lock");

    private final List<Path> restoreTools;
    private final List<Path> saveTools;

    /** Uses the iptables and ip6tables found in the usual places. */
    public Isolation() {
        this(tool("iptables-restore"), tool("ip6tables-restore"));
    }

    private Isolation(Path v4, Path v6) {
        List<Path> restore = new ArrayList<>();
        List<Path> save = new ArrayList<>();
        restore.add(v4);
        save.add(tool("iptables-save"));
        Path save6 = tool("ip6tables-save");
        if (v6 != null && save6 != null) {
            restore.add(v6);
            save.add(save6);
        }
        this.restoreTools = restore;
        this.saveTools = save;
    }

    /** An isolation rule could not be added; the message is the tool's. */
    public static final class IsolationException extends RuntimeException {
        IsolationException(String message) {
            super(message);
        }
    }

    /**
     * Makes sure each bridge has its two rules (and the chains and jump exist).
     *
     * @throws IsolationException when iptables-restore (or ip6tables-restore) refuses them
     */
    public void ensure(Collection<String> bridges) {
        edit(current -> additions(current, bridges));
    }

    /** Deletes the rules of these bridges (missing ones are skipped). */
    public void remove(Collection<String> bridges) {
        try {
            edit(current -> deletions(current, bridges));
        } catch (IsolationException e) {
            LOG.warn("cannot remove the isolation rules of {}: {}", bridges, e.getMessage());
        }
    }

    /**
     * Reads the mangle table, then applies what {@code change} makes of it, under a lock that other
     * Wharf daemons on the host take too: declaring a chain that exists would flush it.
     */
    private void edit(UnaryOperator<String> change) {
        synchronized (Isolation.class) {
            try (FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                for (int i = 0; i < restoreTools.size(); i++) {
                    String current = save(i);
                    if (current == null) {
                        continue; // no such tables in this kernel (IPv6 turned off): nothing to isolate
                    }
                    String script = change.apply(current);
                    if (!script.isEmpty()) {
                        restore(i, script);
                    }
                }
            } catch (IOException e) {
                throw new IsolationException("cannot lock " + LOCK + ": " + e.getMessage());
            }
        }
    }

    /** The iptables-restore input that adds what {@code current} (iptables-save of mangle) lacks. */
    static String additions(String current, Collection<String> bridges) {
        Set<String> have = lines(current);
        List<String> out = new ArrayList<>();
        for (String chain : List.of(STAGE1, STAGE2)) {
            if (current.lines().noneMatch(l -> l.startsWith(":" + chain + " "))) {
                out.add(":" + chain + " - [0:0]");
            }
        }
        List<String> rules = new ArrayList<>();
        rules.add("-A FORWARD -j " + STAGE1);
        rules.add("-A " + STAGE1 + " -m conntrack --ctstate DNAT -j RETURN");
        for (String b : new LinkedHashSet<>(bridges)) {
            rules.add(stage1(b));
            rules.add(stage2(b));
        }
        for (String r : rules) {
            if (!have.contains(r)) {
                out.add(r);
            }
        }
        return script(out);
    }

    /** The iptables-restore input that deletes these bridges' rules found in {@code current}. */
    static String deletions(String current, Collection<String> bridges) {
        Set<String> have = lines(current);
        List<String> out = new ArrayList<>();
        for (String b : new LinkedHashSet<>(bridges)) {
            for (String r : List.of(stage1(b), stage2(b))) {
                if (have.contains(r)) {
                    out.add("-D" + r.substring(2));
                }
            }
        }
        return script(out);
    }

    private static String stage1(String bridge) {
        return "-A " + STAGE1 + " -i " + bridge + " ! -o " + bridge + " -j " + STAGE2;
    }

    private static String stage2(String bridge) {
        return "-A " + STAGE2 + " -o " + bridge + " -j DROP";
    }

    private static Set<String> lines(String save) {
        Set<String> s = new LinkedHashSet<>();
        save.lines().map(String::strip).filter(l -> l.startsWith("-A ")).forEach(s::add);
        return s;
    }

    private static String script(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        return "*mangle\n" + String.join("\n", lines) + "\nCOMMIT\n";
    }

    /** The mangle table as {@code *-save} prints it, or null when this kernel has no such tables. */
    private String save(int i) {
        if (saveTools.get(i) == null || restoreTools.get(i) == null) {
            throw new IsolationException("iptables-save and iptables-restore are needed to isolate networks; "
                    + "install iptables");
        }
        Result r = exec(List.of(saveTools.get(i).toString(), "-t", "mangle"), null);
        if (r.rc() != 0) {
            if (i == 0) {
                throw new IsolationException(r.failure());
            }
            LOG.warn("{}; IPv6 traffic between networks is not filtered", r.failure());
            return null;
        }
        return r.out();
    }

    private void restore(int i, String script) {
        Result r = exec(List.of(restoreTools.get(i).toString(), "--noflush", "--wait"), script);
        if (r.rc() != 0) {
            LOG.warn("{}\n{}", r.failure(), script.strip());
            throw new IsolationException(r.failure());
        }
    }

    private record Result(String tool, int rc, String out) {
        String failure() {
            String text = out.strip();
            return Path.of(tool).getFileName() + " failed" + (text.isEmpty() ? " (exit " + rc + ")" : ": " + text);
        }
    }

    private static Result exec(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(cmd.getFirst(), p.waitFor(), out);
        } catch (IOException e) {
            return new Result(cmd.getFirst(), -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(cmd.getFirst(), -1, "interrupted");
        }
    }

    /** The tool on the daemon's PATH, else in the usual places. */
    private static Path tool(String name) {
        Stream<String> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(d -> !d.isEmpty()).map(d -> d.endsWith("/") ? d : d + "/");
        return Stream.concat(path, Stream.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"))
                .map(d -> Path.of(d + name)).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
