package dev.wharf.compose.run;

import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.model.ServiceGraph;
import dev.wharf.compose.plan.ObservedContainer;
import dev.wharf.compose.plan.Plan;
import dev.wharf.compose.plan.Planner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code up}: images, then the plan, then networks and volumes, then each service in its own
 * thread once what it depends on has converged and met its condition ({@code service_started},
 * {@code service_healthy}, {@code service_completed_successfully}). A scaled or
 * {@code update_config} service whose replicas are outdated is rolled ({@link RollingUpdate});
 * others are recreated all at once, as Docker Compose does.
 */
final class Up {

    private final WharfClient client;
    private final Progress progress;
    private final Replicas replicas;
    private final Dependencies deps;

    Up(WharfClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
        this.replicas = new Replicas(client, progress);
        this.deps = new Dependencies(replicas, progress);
    }

    /** Converges the project; returns the IDs of the containers of the services it touched, by service. */
    Map<String, List<String>> run(Project p, UpOptions o) {
        Planner.Options po0 = new Planner.Options(o.services(), o.scale(), o.forceRecreate(), o.noRecreate(), o.noDeps(),
                Map.of());
        List<Service> targets = new ArrayList<>();
        Planner.plan(p, List.of(), po0).services().forEach(sp -> targets.add(sp.service()));
        Map<String, String> images = new ImageSupplier(client, progress).ensure(p, targets, o.build(), false);
        Observer observer = new Observer(client);
        List<ObservedContainer> observed = observer.containers(p.name());
        Plan plan = Planner.plan(p, observed, new Planner.Options(o.services(), o.scale(), o.forceRecreate(),
                o.noRecreate(), o.noDeps(), images));
        orphans(plan, o.removeOrphans());
        ProjectResources resources = new ProjectResources(client, progress);
        Set<String> networks = new LinkedHashSet<>();
        plan.services().forEach(sp -> networks.addAll(sp.service().networks().keySet()));
        resources.ensureNetworks(p, networks);
        resources.ensureVolumes(p);
        Map<String, CompletableFuture<Boolean>> done = new ConcurrentHashMap<>();
        plan.services().forEach(sp -> done.put(sp.service().name(), new CompletableFuture<>()));
        Map<String, List<String>> ids = new ConcurrentHashMap<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (Plan.ServicePlan sp : plan.services()) {
            threads.add(Thread.ofVirtual().name("up-" + sp.service().name()).start(() -> {
                String name = sp.service().name();
                try {
                    boolean restartForDeps = awaitDependencies(p, sp.service(), done, o.noStart());
                    boolean changed = converge(p, sp, images.get(name), o.noStart(), restartForDeps, ids);
                    done.get(name).complete(changed);
                } catch (RuntimeException e) {
                    errors.add(e);
                    done.get(name).completeExceptionally(e);
                }
            }));
        }
        ImageSupplier.join(threads);
        if (!errors.isEmpty()) {
            Throwable first = errors.stream().filter(e -> !(e instanceof DependencyFailed)).findFirst()
                    .orElse(errors.getFirst());
            throw first instanceof RuntimeException r ? r : new ComposeException(first.getMessage(), first);
        }
        if (o.waitReady() && !o.noStart()) {
            deps.awaitAll(plan, ids, o.waitTimeout());
        }
        return new LinkedHashMap<>(ids);
    }

    /** A service that did not converge because one it depends on failed. */
    static final class DependencyFailed extends ComposeException {
        DependencyFailed(String message) {
            super(message);
        }
    }

    /**
     * Waits for what the service depends on; returns whether one of those that asked for
     * {@code restart: true} changed, so this service's running replicas restart with it.
     */
    private boolean awaitDependencies(Project p, Service s, Map<String, CompletableFuture<Boolean>> done,
            boolean noStart) {
        boolean restart = false;
        for (Map.Entry<String, Service.Dependency> d : s.dependsOn().entrySet()) {
            CompletableFuture<Boolean> f = done.get(d.getKey());
            if (f == null) {
                continue;
            }
            boolean changed;
            try {
                changed = f.join();
            } catch (RuntimeException e) {
                throw new DependencyFailed("dependency " + d.getKey() + " of " + s.name() + " failed to start");
            }
            if (!noStart) {
                deps.await(p, p.service(d.getKey()), d.getValue());
            }
            restart |= changed && d.getValue().restart();
        }
        return restart;
    }

    /** Carries out one service's steps; returns whether any replica was created, recreated or removed. */
    private boolean converge(Project p, Plan.ServicePlan sp, String imageId, boolean noStart, boolean restartForDeps,
            Map<String, List<String>> ids) {
        Service s = sp.service();
        List<String> mine = Collections.synchronizedList(new ArrayList<>());
        ids.put(s.name(), mine);
        boolean changed = false;
        for (Plan.Step step : sp.steps()) {
            if (step instanceof Plan.Step.Remove r) {
                replicas.stop(r.container().id(), r.container().name(), Replicas.stopTimeout(s));
                replicas.remove(r.container().id(), r.container().name(), false);
                changed = true;
            }
        }
        if (sp.rolling()) {
            new RollingUpdate(replicas, progress).run(p, sp, imageId, mine);
            return true;
        }
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
        for (Plan.Step step : sp.steps()) {
            Runnable r = switch (step) {
                case Plan.Step.Remove ignored -> null;
                case Plan.Step.Keep k -> () -> {
                    mine.add(k.container().id());
                    if (restartForDeps) {
                        progress.status(Replicas.res(k.container().name()), "Restarting");
                        replicas.stop(k.container().id(), k.container().name(), Replicas.stopTimeout(s));
                        replicas.start(k.container().id(), k.container().name());
                    } else {
                        progress.status(Replicas.res(k.container().name()), "Running");
                    }
                };
                case Plan.Step.Start st -> () -> {
                    mine.add(st.container().id());
                    if (!noStart) {
                        replicas.start(st.container().id(), st.container().name());
                    }
                };
                case Plan.Step.Recreate rc -> () -> {
                    ObservedContainer old = rc.old();
                    progress.status(Replicas.res(old.name()), "Recreate");
                    replicas.stop(old.id(), old.name(), Replicas.stopTimeout(s));
                    replicas.remove(old.id(), old.name(), false);
                    String name = CreateBody.containerName(p, s, old.number());
                    String id = replicas.create(p, s, old.number(), sp.configHash(), imageId, true, name);
                    mine.add(id);
                    if (!noStart) {
                        replicas.start(id, name);
                    }
                };
                case Plan.Step.Create c -> () -> {
                    String name = CreateBody.containerName(p, s, c.number());
                    String id = replicas.create(p, s, c.number(), sp.configHash(), imageId, true, name);
                    mine.add(id);
                    if (!noStart) {
                        replicas.start(id, name);
                    }
                };
            };
            if (r == null) {
                continue;
            }
            changed |= !(step instanceof Plan.Step.Keep) && !(step instanceof Plan.Step.Start);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }));
        }
        ImageSupplier.join(threads);
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
        return changed;
    }

    private void orphans(Plan plan, boolean remove) {
        if (plan.orphans().isEmpty()) {
            return;
        }
        if (!remove) {
            progress.warn("Found orphan containers (" + String.join(", ", plan.orphans().stream()
                    .map(ObservedContainer::name).toList()) + ") for this project. If you removed or renamed this "
                    + "service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
            return;
        }
        for (ObservedContainer c : plan.orphans()) {
            replicas.stop(c.id(), c.name(), null);
            replicas.remove(c.id(), c.name(), false);
        }
    }

    static Duration orDefault(Duration d, Duration dflt) {
        return d == null ? dflt : d;
    }

    static Set<String> names(Map<String, Service> services) {
        return new LinkedHashSet<>(ServiceGraph.startOrder(services));
    }
}
