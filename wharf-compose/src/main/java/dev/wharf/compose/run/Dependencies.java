package dev.wharf.compose.run;

import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.plan.Plan;
import dev.wharf.model.container.ContainerInspect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Waiting for {@code depends_on} conditions, and for {@code up --wait}. */
final class Dependencies {

    private final Replicas replicas;
    private final Progress progress;

    Dependencies(Replicas replicas, Progress progress) {
        this.replicas = replicas;
        this.progress = progress;
    }

    /** Blocks until every replica of {@code dep} meets the condition; throws when one cannot. */
    void await(Project p, Service dep, Service.Dependency d) {
        if (d.condition().equals(Service.Dependency.STARTED)) {
            return;
        }
        for (ContainerInspect c : containers(p, dep)) {
            String name = c.name().startsWith("/") ? c.name().substring(1) : c.name();
            String res = Replicas.res(name);
            if (d.condition().equals(Service.Dependency.COMPLETED)) {
                progress.status(res, "Waiting");
                int code = replicas.awaitExit(c.id());
                if (code != 0) {
                    progress.status(res, "Error");
                    throw new ComposeException("service \"" + dep.name() + "\" didn't complete successfully: exit " + code);
                }
                progress.status(res, "Exited");
                continue;
            }
            if (!dep.hasHealthcheck() && Replicas.health(c) == null) {
                throw new ComposeException("dependency failed to start: container " + name + " has no healthcheck configured");
            }
            progress.status(res, "Waiting");
            Replicas.Outcome out = replicas.awaitReady(c.id(), true, Replicas.healthBudget(dep));
            switch (out) {
                case HEALTHY, RUNNING -> progress.status(res, "Healthy");
                case UNHEALTHY -> {
                    progress.status(res, "Error");
                    throw new ComposeException("dependency failed to start: container " + name + " is unhealthy");
                }
                case EXITED, GONE -> {
                    progress.status(res, "Error");
                    throw new ComposeException("dependency failed to start: container " + name + " exited ("
                            + exitCode(c.id()) + ")");
                }
                case TIMEOUT -> throw new ComposeException("dependency failed to start: container " + name
                        + " is not healthy yet");
            }
        }
    }

    private int exitCode(String id) {
        try {
            return replicas.inspect(id).state().exitCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The containers of a service now: its replicas, not one-off ones. */
    private List<ContainerInspect> containers(Project p, Service s) {
        List<ContainerInspect> out = new ArrayList<>();
        new Observer(replicasClient()).summaries(p.name(), true).stream()
                .filter(c -> s.name().equals(Observer.label(c, Labels.SERVICE)))
                .filter(c -> !"True".equals(Observer.label(c, Labels.ONEOFF)))
                .forEach(c -> out.add(replicas.inspect(c.id())));
        return out;
    }

    private dev.wharf.client.WharfClient replicasClient() {
        return replicas.client();
    }

    /** {@code up --wait}: every container running, and healthy when it has a healthcheck. */
    void awaitAll(Plan plan, Map<String, List<String>> ids, Duration timeout) {
        Duration budget = timeout == null ? Duration.ofMinutes(10) : timeout;
        long deadline = System.nanoTime() + budget.toNanos();
        for (Plan.ServicePlan sp : plan.services()) {
            for (String id : ids.getOrDefault(sp.service().name(), List.of())) {
                ContainerInspect c = replicas.inspect(id);
                String name = c.name().startsWith("/") ? c.name().substring(1) : c.name();
                String res = Replicas.res(name);
                progress.status(res, "Waiting");
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                Replicas.Outcome out = replicas.awaitReady(id, true, left);
                switch (out) {
                    case HEALTHY -> progress.status(res, "Healthy");
                    case RUNNING -> progress.status(res, "Running");
                    case EXITED -> {
                        int code = exitCode(id);
                        if (code != 0) {
                            throw new ComposeException("container " + name + " exited (" + code + ")");
                        }
                        progress.status(res, "Exited");
                    }
                    case UNHEALTHY -> throw new ComposeException("container " + name + " is unhealthy");
                    case GONE -> throw new ComposeException("container " + name + " is gone");
                    case TIMEOUT -> throw new ComposeException("timeout waiting for container " + name);
                }
            }
        }
    }
}
