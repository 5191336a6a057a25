package dev.wharf.it.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a test class may leave behind, compared before and after: mounts under the daemon's
 * roots, conmon processes, runc containers, containers the API lists, network leftovers and the
 * cgroups of the daemon's containers.
 */
public final class LeakCheck {

    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** The parent of each container's cgroup: wharfd gives runc {@code cgroupsPath: /wharf/<id>}. */
    private static final String CGROUP_PARENT = "wharf";

    public record Snapshot(Set<String> mounts, Set<Long> conmons, Set<String> runcContainers, Set<String> containers,
            Set<String> network, Set<String> cgroups) {
        Snapshot minus(Snapshot before) {
            return new Snapshot(diff(mounts, before.mounts), diff(conmons, before.conmons),
                    diff(runcContainers, before.runcContainers), diff(containers, before.containers),
                    diff(network, before.network), diff(cgroups, before.cgroups));
        }

        boolean isEmpty() {
            return mounts.isEmpty() && conmons.isEmpty() && runcContainers.isEmpty() && containers.isEmpty()
                    && network.isEmpty() && cgroups.isEmpty();
        }

        private static <T> Set<T> diff(Set<T> after, Set<T> before) {
            Set<T> d = new LinkedHashSet<>(after);
            d.removeAll(before);
            return d;
        }
    }

    private LeakCheck() {
    }

    public static Snapshot take(WharfdProcess wharfd) {
        Set<String> containers = new TreeSet<>();
        if (wharfd.isAlive()) {
            Api.Response list = wharfd.api().get("/containers/json?all=1");
            if (list.status() == 200) {
                for (JsonNode c : list.json()) {
                    containers.add(c.path("Id").asText() + " " + c.path("Names").path(0).asText() + " " + c.path("Status").asText());
                }
            }
        }
        Set<Long> conmons = new TreeSet<>();
        wharfd.conmons().forEach(p -> conmons.add(p.pid()));
        return new Snapshot(new TreeSet<>(mountsUnder(wharfd.base())), conmons,
                new TreeSet<>(wharfd.runcContainers()), containers, network(wharfd),
                cgroupsOf(createdContainers(wharfd), CGROUP_ROOT));
    }

    /**
     * Asserts that nothing was added since {@code before}, allowing a few seconds for
     * asynchronous clean-up (AutoRemove, exit handling).
     */
    public static void assertNoLeaks(Snapshot before, WharfdProcess wharfd) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Snapshot leaked;
        do {
            leaked = take(wharfd).minus(before);
            if (leaked.isEmpty()) return;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the test class left things behind:\n"
                + "  containers: " + leaked.containers() + "\n"
                + "  runc containers: " + leaked.runcContainers() + "\n"
                + "  conmon pids: " + leaked.conmons() + "\n"
                + "  mounts: " + leaked.mounts() + "\n"
                + "  network (netns, links, iptables): " + leaked.network() + "\n"
                + "  cgroups: " + leaked.cgroups());
    }

    /**
     * The daemon's network leftovers: namespace files under its exec root, links that are (or hang
     * off) its bridges, and iptables rules that name its networks' subnets or bridges.
     */
    static Set<String> network(WharfdProcess wharfd) {
        Set<String> out = new TreeSet<>();
        Path netns = wharfd.execRoot().resolve("netns");
        if (Files.isDirectory(netns)) {
            try (var files = Files.list(netns)) {
                files.forEach(f -> out.add("netns " + f.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> subnets = new TreeSet<>();
        Set<String> bridges = new TreeSet<>(List.of(wharfd.bridgeName()));
        if (wharfd.isAlive()) {
            Api.Response list = wharfd.api().get("/networks");
            if (list.status() == 200) {
                for (JsonNode n : list.json()) {
                    n.path("IPAM").path("Config").forEach(c -> subnets.add(c.path("Subnet").asText()));
                    String b = n.path("Options").path("com.docker.network.bridge.name").asText("");
                    if (!b.isEmpty()) bridges.add(b);
                }
            }
        }
        for (String line : run("ip", "-o", "link", "show").lines().toList()) {
            String[] f = line.split(":\\s+");
            if (f.length < 2) continue;
            String name = f[1].replaceAll("@.*", "");
            for (String b : bridges) {
                if (name.equals(b) || name.equals(WharfdProcess.keeperLink(b)) || line.contains(" master " + b + " ")) {
                    out.add("link " + name);
                }
            }
        }
        List<String> rules = new ArrayList<>(run("iptables-save").lines().toList());
        rules.addAll(run("ip6tables-save").lines().toList());
        for (String line : rules) {
            if (line.startsWith("#") || line.startsWith(":")) continue;
            for (String s : subnets) {
                if (!s.isEmpty() && line.contains(s)) out.add("iptables " + line);
            }
            for (String b : bridges) {
                if ((" " + line + " ").contains(" " + b + " ")) out.add("iptables " + line);
            }
        }
        return out;
    }

    /**
     * The IDs of every container the daemon ever created, from its event log: other daemons
     * (another test run on the host) keep their cgroups under the same parent, and only ours count.
     */
    static Set<String> createdContainers(WharfdProcess wharfd) {
        Set<String> ids = new TreeSet<>();
        if (!wharfd.isAlive()) return ids;
        String filters = java.net.URLEncoder.encode("{\"type\":[\"container\"],\"event\":[\"create\"]}",
                java.nio.charset.StandardCharsets.UTF_8);
        java.time.Instant now = java.time.Instant.now();
        String until = now.getEpochSecond() + "." + String.format("%09d", now.getNano());
        Api.Response r = wharfd.api().get("/events?since=0&until=" + until + "&filters=" + filters);
        if (r.status() != 200) {
            throw new AssertionError("cannot list the daemon's containers from its events: " + r);
        }
        for (String line : r.text().lines().toList()) {
            if (line.isBlank()) continue;
            try {
                String id = Api.JSON.readTree(line).path("Actor").path("ID").asText("");
                if (!id.isEmpty()) ids.add(id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ids;
    }

    /**
     * The cgroup directories that exist for these containers: {@code <root>/wharf/<id>} on a v2
     * host, {@code <root>/<hierarchy>/wharf/<id>} in each v1 hierarchy (and the hybrid unified one).
     */
    static Set<String> cgroupsOf(Set<String> ids, Path root) {
        Set<String> out = new TreeSet<>();
        if (ids.isEmpty() || !Files.isDirectory(root)) return out;
        List<Path> parents = new ArrayList<>(List.of(root.resolve(CGROUP_PARENT)));
        try (var dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(d -> parents.add(d.resolve(CGROUP_PARENT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path parent : parents) {
            for (String id : ids) {
                Path dir = parent.resolve(id);
                if (Files.isDirectory(dir)) out.add(root.relativize(dir).toString());
            }
        }
        return out;
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Mount points at or below {@code root}, from /proc/self/mountinfo. */
    public static List<String> mountsUnder(Path root) {
        String prefix = root.toString();
        List<String> result = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length < 5) continue;
                String mountPoint = unescape(fields[4]);
                if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) result.add(mountPoint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** mountinfo escapes space, tab, newline and backslash as {@code \ooo}. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                String oct = field.substring(i + 1, Math.min(field.length(), i + 4));
                if (oct.length() == 3 && oct.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
                    out.append((char) Integer.parseInt(oct, 8));
                    i += 3;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
