package dev.wharf.compose.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code depends_on} graph of a project's services: start order, stop order and dependents. */
public final class ServiceGraph {

    private ServiceGraph() {
    }

    /** Names in an order where every service comes after what it depends on; throws on a cycle. */
    public static List<String> startOrder(Map<String, Service> services) {
        List<String> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String s : services.keySet()) {
            visit(s, services, done, visiting, out);
        }
        return out;
    }

    private static void visit(String s, Map<String, Service> services, Set<String> done, Set<String> visiting,
            List<String> out) {
        if (done.contains(s) || !services.containsKey(s)) {
            return;
        }
        if (!visiting.add(s)) {
            throw new IllegalStateException("dependency cycle detected: " + String.join(" -> ", visiting) + " -> " + s);
        }
        for (String d : services.get(s).dependsOn().keySet()) {
            visit(d, services, done, visiting, out);
        }
        visiting.remove(s);
        done.add(s);
        out.add(s);
    }

    /** The services named plus everything they depend on, transitively. */
    public static Set<String> withDependencies(Map<String, Service> services, Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(names);
        while (!todo.isEmpty()) {
            String s = todo.removeLast();
            if (out.add(s) && services.containsKey(s)) {
                todo.addAll(services.get(s).dependsOn().keySet());
            }
        }
        return out;
    }

    /** The services that depend on {@code name} directly. */
    public static List<String> dependents(Map<String, Service> services, String name) {
        List<String> out = new ArrayList<>();
        services.forEach((k, v) -> {
            if (v.dependsOn().containsKey(name)) {
                out.add(k);
            }
        });
        return out;
    }
}
