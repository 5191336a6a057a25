package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Legacy links ({@code HostConfig.Links}, {@code --link name:alias}), as moby's {@code daemon/links}:
 * stored at create as {@code /child:/parent/alias}; at start the child's address goes into the
 * parent's /etc/hosts under the alias, the child's hostname and name, and on the default bridge
 * the {@code ALIAS_NAME}, {@code ALIAS_PORT…} and {@code ALIAS_ENV_…} variables into its
 * environment. {@code DELETE /containers/parent/alias?link=1} removes one.
 */
final class Links {

    /** One link: the child's name (without "/") and the alias the parent knows it by. */
    record Link(String child, String alias) {
    }

    private Links() {
    }

    /** Parses {@code name}, {@code name:alias} or the stored {@code /name:/parent/alias}. */
    static List<Link> parse(List<String> links) {
        List<Link> out = new ArrayList<>();
        for (String s : links) {
            int colon = s.indexOf(':');
            String name = strip(colon < 0 ? s : s.substring(0, colon));
            String alias = colon < 0 ? name : s.substring(colon + 1);
            if (alias.contains("/")) {
                alias = alias.substring(alias.lastIndexOf('/') + 1);
            }
            if (name.isEmpty() || alias.isEmpty()) {
                throw new InvalidArgumentException("invalid link: " + s);
            }
            out.add(new Link(name, alias));
        }
        return out;
    }

    /**
     * Checks each child at create and returns the links in the form Docker shows in inspect; 400
     * for a child that does not exist, 409 for one on the host network.
     */
    static List<String> normalize(List<Link> links, String parentName, Function<String, Container> find) {
        List<String> out = new ArrayList<>();
        for (Link l : links) {
            Container child;
            try {
                child = find.apply(l.child());
            } catch (NotFoundException e) {
                throw new InvalidArgumentException("could not get container for " + l.child() + ": "
                        + e.getMessage());
            }
            if ("host".equals(child.cfg.hostConfig().networkMode())) {
                throw new ConflictException("conflicting options: host type networking can't be used with links. "
                        + "This would result in undefined behavior");
            }
            out.add("/" + child.name() + ":/" + parentName + "/" + l.alias());
        }
        return out;
    }

    /** What a start adds for its links: /etc/hosts lines and environment variables. */
    record Applied(List<String> hostsLines, List<String> env) {
    }

    /**
     * Resolves the links of a starting container: each child must run. {@code addressOf} gives
     * the child's IPv4 address on the parent's network ("" when it has none there).
     */
    static Applied apply(Container parent, Function<String, Container> find, Function<Container, String> addressOf,
            boolean legacyEnv) {
        List<String> hosts = new ArrayList<>();
        List<String> env = new ArrayList<>();
        for (Link l : parse(parent.host().links())) {
            Container child = find.apply(l.child());
            if (!child.state.running()) {
                throw new ConflictException("Cannot link to a non running container: /" + child.name() + " AS /"
                        + parent.name() + "/" + l.alias());
            }
            String ip = addressOf.apply(child);
            if (ip == null || ip.isEmpty()) {
                throw new ConflictException("Cannot link to /" + child.name()
                        + ", as it does not belong to the default network");
            }
            String names = l.alias() + " " + child.cfg.config().hostname()
                    + (l.alias().equals(child.name()) ? "" : " " + child.name());
            hosts.add(ip + "\t" + names);
            if (legacyEnv) {
                env.addAll(env(l.alias(), "/" + parent.name() + "/" + l.alias(), ip,
                        child.cfg.config().exposedPorts(), child.cfg.config().env()));
            }
        }
        return new Applied(hosts, env);
    }

    /** moby's {@code Link.ToEnv}: ports (the lowest first as ALIAS_PORT), the name, the child's env. */
    static List<String> env(String alias, String linkName, String ip, Map<String, Object> exposed,
            List<String> childEnv) {
        String a = alias.toUpperCase().replace('-', '_');
        List<String[]> ports = new ArrayList<>();
        if (exposed != null) {
            for (String k : exposed.keySet()) {
                int slash = k.indexOf('/');
                ports.add(new String[] {slash < 0 ? k : k.substring(0, slash), slash < 0 ? "tcp" : k.substring(slash + 1)});
            }
        }
        ports.sort(Comparator.comparingInt((String[] p) -> Integer.parseInt(p[0])).thenComparing(p -> p[1]));
        List<String> out = new ArrayList<>();
        if (!ports.isEmpty()) {
            String[] p = ports.getFirst();
            out.add(a + "_PORT=" + p[1] + "://" + ip + ":" + p[0]);
        }
        for (String[] p : ports) {
            String key = a + "_PORT_" + p[0] + "_" + p[1].toUpperCase();
            out.add(key + "=" + p[1] + "://" + ip + ":" + p[0]);
            out.add(key + "_ADDR=" + ip);
            out.add(key + "_PORT=" + p[0]);
            out.add(key + "_PROTO=" + p[1]);
        }
        out.add(a + "_NAME=" + linkName);
        for (String e : childEnv == null ? List.<String>of() : childEnv) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = e.substring(0, eq);
            if (!name.equals("HOME") && !name.equals("PATH")) {
                out.add(a + "_ENV_" + name + "=" + e.substring(eq + 1));
            }
        }
        return out;
    }

    /** The HostConfig with its {@code Links} replaced (null removes them). */
    static dev.wharf.model.container.HostConfig withLinks(dev.wharf.model.container.HostConfig hc, List<String> links) {
        Map<String, Object> other = new java.util.LinkedHashMap<>(hc.other());
        if (links == null) {
            other.remove("Links");
        } else {
            other.put("Links", links);
        }
        return hc.withOther(other);
    }

    /** The link names pointing at each child ({@code /parent/alias}), for the list's {@code Names}. */
    static Map<String, List<String>> namesByChild(Iterable<Container> all) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        for (Container p : all) {
            if (p.removed) {
                continue;
            }
            for (Link l : parse(p.host().links())) {
                out.computeIfAbsent(l.child(), k -> new ArrayList<>()).add("/" + p.name() + "/" + l.alias());
            }
        }
        return out;
    }

    private static String strip(String s) {
        return s.startsWith("/") ? s.substring(1) : s;
    }
}
