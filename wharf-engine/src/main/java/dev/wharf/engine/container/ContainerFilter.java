package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.engine.common.Filters;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The filters of {@code GET /containers/json}, as moby's {@code daemon/list.go} applies them:
 * values are checked once by {@link #compile}, then {@link #test} decides per container.
 */
final class ContainerFilter {

    static final Set<String> ACCEPTED = Set.of("ancestor", "before", "exited", "id", "isolation", "label",
            "name", "status", "health", "since", "volume", "network", "is-task", "publish", "expose");
    private static final Set<String> STATES = Set.of("paused", "restarting", "removing", "running", "dead",
            "created", "exited");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");

    /** What a filter looks at in one container. */
    record Facts(String id, String name, Map<String, String> labels, String status, boolean running,
            int exitCode, boolean everStarted, String health, String imageId, Instant created, String isolation,
            List<Mount> mounts, Map<String, String> networks, List<Port> ports) {
    }

    /** A mount: the volume name (the source for a bind) and the path in the container. */
    record Mount(String name, String destination) {
    }

    /** A port as the list shows it; {@code publicPort} 0 when only exposed. */
    record Port(int privatePort, int publicPort, String type) {
    }

    private final Filters f;
    private final Set<Integer> exited = new HashSet<>();
    private final Set<String> publish = new HashSet<>();
    private final Set<String> expose = new HashSet<>();
    private final Boolean isTask;
    private final Instant before;
    private final Instant since;
    private final Set<String> ancestors;

    private ContainerFilter(Filters f, Boolean isTask, Instant before, Instant since, Set<String> ancestors) {
        this.f = f;
        this.isTask = isTask;
        this.before = before;
        this.since = since;
        this.ancestors = ancestors;
    }

    /**
     * Checks every value and resolves references. {@code createdOf} gives the creation time of a
     * container by ID or name (or throws not-found); {@code imageAndChildren} the IDs of an image
     * and the images built on it (empty when there is no such image).
     */
    static ContainerFilter compile(Filters f, Function<String, Instant> createdOf,
            Function<String, Set<String>> imageAndChildren) {
        f.only(ACCEPTED);
        for (String st : f.get("status")) {
            if (!STATES.contains(st)) {
                throw new InvalidArgumentException("invalid filter 'status=" + st + "'");
            }
        }
        for (String h : f.get("health")) {
            if (!HEALTH.contains(h)) {
                throw new InvalidArgumentException("Unrecognised filter value for health: " + h);
            }
        }
        Boolean isTask = null;
        if (f.contains("is-task")) {
            if (f.get("is-task").contains("true")) {
                isTask = true;
            } else if (f.get("is-task").contains("false")) {
                isTask = false;
            } else {
                throw f.invalidValue("is-task");
            }
        }
        Instant before = null;
        for (String b : f.get("before")) {
            Instant t = createdOf.apply(b);
            before = before == null || t.isBefore(before) ? t : before;
        }
        Instant since = null;
        for (String s : f.get("since")) {
            Instant t = createdOf.apply(s);
            since = since == null || t.isAfter(since) ? t : since;
        }
        Set<String> ancestors = null;
        if (f.contains("ancestor")) {
            ancestors = new HashSet<>();
            for (String a : f.get("ancestor")) {
                ancestors.addAll(imageAndChildren.apply(a));
            }
        }
        ContainerFilter cf = new ContainerFilter(f, isTask, before, since, ancestors);
        for (String e : f.get("exited")) {
            try {
                cf.exited.add(Integer.parseInt(e));
            } catch (NumberFormatException ex) {
                throw new InvalidArgumentException("strconv.Atoi: parsing \"" + e + "\": invalid syntax");
            }
        }
        ports("publish", f.get("publish"), cf.publish);
        ports("expose", f.get("expose"), cf.expose);
        return cf;
    }

    /** Whether a stopped container is listed without {@code all}: a status filter lists every state. */
    boolean listsStopped() {
        return f.has("status");
    }

    boolean test(Facts c) {
        if (before != null && !c.created().isBefore(before)) {
            return false;
        }
        if (since != null && !c.created().isAfter(since)) {
            return false;
        }
        if (!f.regexMatch("name", "/" + c.name()) && !f.regexMatch("name", c.name())) {
            return false;
        }
        if (f.has("id") && f.get("id").stream().noneMatch(c.id()::startsWith)) {
            return false;
        }
        if (isTask != null && isTask) {
            return false; // no container here is a swarm task
        }
        if (!f.labelsMatch(c.labels())) {
            return false;
        }
        String iso = c.isolation() == null || c.isolation().isEmpty() ? "default" : c.isolation().toLowerCase();
        if (!f.regexMatch("isolation", iso)) {
            return false;
        }
        if (!exited.isEmpty() && (c.running() || !c.everStarted() || !exited.contains(c.exitCode()))) {
            return false;
        }
        if (!f.exactMatch("status", c.status()) || !f.exactMatch("health", c.health())) {
            return false;
        }
        if (f.contains("volume") && c.mounts().stream().noneMatch(
                m -> f.get("volume").contains(m.name()) || f.get("volume").contains(m.destination()))) {
            return false;
        }
        if (ancestors != null && !ancestors.contains(c.imageId())) {
            return false;
        }
        if (f.contains("network") && f.get("network").stream().noneMatch(v -> c.networks().containsKey(v)
                || c.networks().values().stream().anyMatch(id -> id != null && id.startsWith(v)))) {
            return false;
        }
        if (!publish.isEmpty() || !expose.isEmpty()) {
            return c.ports().stream().anyMatch(p -> publish.contains(p.publicPort() + "/" + p.type())
                    || expose.contains(p.privatePort() + "/" + p.type()));
        }
        return true;
    }

    /** {@code 80}, {@code 80/udp} or {@code 8000-8010/tcp}, expanded into {@code port/proto} keys. */
    private static void ports(String key, List<String> values, Set<String> into) {
        for (String v : values) {
            if (v.contains(":")) {
                throw new InvalidArgumentException("filter for '" + key + "' should not contain ':': " + v);
            }
            int slash = v.indexOf('/');
            String port = slash < 0 ? v : v.substring(0, slash);
            String proto = slash < 0 ? "tcp" : v.substring(slash + 1).toLowerCase();
            int dash = port.indexOf('-');
            int start = parsePort(key, v, dash < 0 ? port : port.substring(0, dash));
            int end = dash < 0 ? start : parsePort(key, v, port.substring(dash + 1));
            if (end < start) {
                throw new InvalidArgumentException("error while looking up for " + key + " " + v
                        + ": invalid range specified for port: " + port);
            }
            for (int i = start; i <= end; i++) {
                into.add(i + "/" + proto);
            }
        }
    }

    private static int parsePort(String key, String value, String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535 || !s.matches("\\d+")) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            String why = s.isEmpty() ? "empty string specified for ports"
                    : "strconv.ParseUint: parsing \"" + s + "\": " + (s.matches("\\d+") ? "value out of range"
                            : "invalid syntax");
            throw new InvalidArgumentException("error while looking up for " + key + " " + value + ": " + why);
        }
    }
}
