package dev.wharf.compose.plan;

import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.model.ServiceGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what {@code up} does from the project and what the daemon has: per service, which
 * replicas to keep, start, recreate, create or remove. A replica is outdated when its config hash
 * or image differs from what the files and the image now give. Scaling down removes the highest
 * numbers first; scaling up fills the lowest free numbers. A pure function, unit-tested.
 */
public final class Planner {

    /**
     * {@code services}: those named on the command line (empty: all); {@code scale}: --scale
     * overrides; {@code images}: the image ID each service's image resolves to now (absent when not
     * known, which then does not count as a change).
     */
    public record Options(List<String> services, Map<String, Integer> scale, boolean forceRecreate,
            boolean noRecreate, boolean noDeps, Map<String, String> images) {

        public static Options defaults() {
            return new Options(List.of(), Map.of(), false, false, false, Map.of());
        }
    }

    private Planner() {
    }

    public static Plan plan(Project project, List<ObservedContainer> observed, Options o) {
        for (String s : o.scale().keySet()) {
            project.service(s);
        }
        Set<String> wanted = targets(project, o);
        List<Plan.ServicePlan> plans = new ArrayList<>();
        for (String name : ServiceGraph.startOrder(project.services())) {
            if (!wanted.contains(name)) {
                continue;
            }
            Service s = project.service(name);
            List<ObservedContainer> mine = observed.stream()
                    .filter(c -> !c.oneoff() && name.equals(c.service()))
                    .sorted(Comparator.comparingInt(ObservedContainer::number).thenComparing(ObservedContainer::id))
                    .toList();
            plans.add(service(s, mine, o.scale().getOrDefault(name, s.replicas()), o));
        }
        Set<String> known = new HashSet<>(project.services().keySet());
        known.addAll(project.disabled());
        List<ObservedContainer> orphans = observed.stream()
                .filter(c -> !c.oneoff() && c.service() != null && !known.contains(c.service())).toList();
        return new Plan(plans, orphans);
    }

    /** The services to converge: those named and, unless --no-deps, what they depend on. */
    static Set<String> targets(Project project, Options o) {
        List<String> named = o.services().isEmpty() ? List.copyOf(project.services().keySet()) : o.services();
        for (String n : named) {
            project.service(n);
        }
        return o.noDeps() ? new HashSet<>(named) : ServiceGraph.withDependencies(project.services(), named);
    }

    static Plan.ServicePlan service(Service s, List<ObservedContainer> mine, int replicas, Options o) {
        String hash = ConfigHash.of(s);
        String image = o.images().get(s.name());
        List<Plan.Step> steps = new ArrayList<>();
        List<ObservedContainer> kept = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        for (ObservedContainer c : mine) {
            if (c.number() >= 1 && numbers.add(c.number())) {
                kept.add(c);
            } else {
                steps.add(new Plan.Step.Remove(c));
            }
        }
        while (kept.size() > replicas) {
            steps.add(new Plan.Step.Remove(kept.removeLast()));
        }
        boolean anyOutdated = false;
        for (ObservedContainer c : kept) {
            boolean outdated = !o.noRecreate() && (o.forceRecreate() || !hash.equals(c.configHash())
                    || image != null && c.image() != null && !image.equals(c.image()));
            if (outdated) {
                anyOutdated = true;
                steps.add(new Plan.Step.Recreate(c));
            } else if (c.running()) {
                steps.add(new Plan.Step.Keep(c));
            } else {
                steps.add(new Plan.Step.Start(c));
            }
        }
        int next = 1;
        for (int i = kept.size(); i < replicas; i++) {
            while (numbers.contains(next)) {
                next++;
            }
            numbers.add(next);
            steps.add(new Plan.Step.Create(next));
        }
        boolean rolling = anyOutdated && (replicas > 1 || s.deploy() != null && s.deploy().updateConfig() != null);
        return new Plan.ServicePlan(s, hash, steps, rolling);
    }
}
