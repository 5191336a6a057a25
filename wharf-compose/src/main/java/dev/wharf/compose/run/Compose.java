package dev.wharf.compose.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.client.ApiException;
import dev.wharf.client.ContainersApi;
import dev.wharf.client.ImagesApi;
import dev.wharf.client.SystemApi;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.model.ServiceGraph;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.event.EventMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Compose's operations over the Docker API, one method per command. A project is found on the
 * daemon by its labels, so most commands also work with only its name ({@code -p}); those that
 * create things need the loaded {@link Project}.
 */
public final class Compose {

    private final WharfClient client;
    private final Progress progress;
    private final Replicas replicas;
    private final Observer observer;

    public Compose(WharfClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
        this.replicas = new Replicas(client, progress);
        this.observer = new Observer(client);
    }

    /** Creates and starts what the files describe; returns the container IDs per service. */
    public Map<String, List<String>> up(Project p, UpOptions o) {
        return new Up(client, progress).run(p, o);
    }

    /**
     * {@code down}: {@code volumes} also removes the project's named volumes (and containers'
     * anonymous ones); {@code rmi} {@code all} or {@code local} removes images;
     * {@code removeOrphans} (or no project file) removes containers of every service.
     */
    public record DownOptions(boolean volumes, String rmi, boolean removeOrphans, Integer timeout) {
    }

    public void down(String name, Project p, DownOptions o) {
        List<ContainerSummary> all = observer.summaries(name, true);
        Set<String> known = p == null ? null : new LinkedHashSet<>(p.services().keySet());
        List<ContainerSummary> doomed = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        for (ContainerSummary c : all) {
            String svc = Observer.label(c, Labels.SERVICE);
            if (known == null || known.contains(svc) || o.removeOrphans() || p.disabled().contains(svc)) {
                doomed.add(c);
            } else {
                orphans.add(Observer.name(c));
            }
        }
        if (!orphans.isEmpty()) {
            progress.warn("Found orphan containers (" + String.join(", ", orphans) + ") for this project. If you "
                    + "removed or renamed this service in your compose file, you can run this command with the "
                    + "--remove-orphans flag to clean it up.");
        }
        stopInOrder(p, doomed, o.timeout());
        parallel(doomed, c -> replicas.remove(c.id(), Observer.name(c), o.volumes()));
        if (orphans.isEmpty()) {
            new ProjectResources(client, progress).removeNetworks(name);
        }
        if (o.volumes()) {
            new ProjectResources(client, progress).removeVolumes(name);
        }
        if (o.rmi() != null && p != null) {
            removeImages(p, o.rmi());
        }
    }

    /** Stops containers with dependents first (by the project's depends_on when known). */
    private void stopInOrder(Project p, List<ContainerSummary> cs, Integer timeout) {
        List<String> order = p == null ? List.of() : new ArrayList<>(ServiceGraph.startOrder(p.services()));
        Collections.reverse(order);
        List<ContainerSummary> running = cs.stream().filter(c -> "running".equals(c.state())
                || "paused".equals(c.state()) || "restarting".equals(c.state())).toList();
        Set<String> done = new LinkedHashSet<>();
        for (String svc : order) {
            List<ContainerSummary> batch = running.stream().filter(c -> svc.equals(Observer.label(c, Labels.SERVICE)))
                    .toList();
            parallel(batch, c -> replicas.stop(c.id(), Observer.name(c), timeout != null ? timeout
                    : Replicas.stopTimeout(p.services().get(svc))));
            batch.forEach(c -> done.add(c.id()));
        }
        parallel(running.stream().filter(c -> !done.contains(c.id())).toList(),
                c -> replicas.stop(c.id(), Observer.name(c), timeout));
    }

    private void removeImages(Project p, String rmi) {
        Set<String> images = new LinkedHashSet<>();
        for (Service s : p.services().values()) {
            if (rmi.equals("all") || s.image() == null) {
                images.add(s.imageName(p.name()));
            }
        }
        for (String img : images) {
            String res = "Image " + img;
            progress.status(res, "Removing");
            try {
                client.images().remove(img, new ImagesApi.RemoveOptions(false, false));
                progress.status(res, "Removed");
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    progress.warn("image " + img + ": " + e.getMessage());
                }
            }
        }
    }

    static void parallel(List<ContainerSummary> cs, Consumer<ContainerSummary> action) {
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
        for (ContainerSummary c : cs) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    action.accept(c);
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }));
        }
        ImageSupplier.join(threads);
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
    }

    /** The project's containers of the named services (all when none), one-off ones only when asked. */
    public List<ContainerSummary> containers(String project, List<String> services, boolean all, boolean oneoff) {
        return observer.summaries(project, all).stream()
                .filter(c -> services.isEmpty() || services.contains(Observer.label(c, Labels.SERVICE)))
                .filter(c -> oneoff || !"True".equals(Observer.label(c, Labels.ONEOFF)))
                .toList();
    }

    /** The container of a service's replica {@code index} (1-based), running or not. */
    public ContainerSummary container(String project, String service, int index) {
        return containers(project, List.of(service), true, false).stream()
                .filter(c -> Observer.number(c) == index).findFirst()
                .orElseThrow(() -> new ComposeException("service \"" + service + "\" is not running container #" + index));
    }

    public enum Action { START, STOP, RESTART, KILL, PAUSE, UNPAUSE }

    /** start, stop, restart, kill, pause or unpause the services' containers. */
    public void act(String project, Project p, List<String> services, Action a, Integer timeout, String signal) {
        List<ContainerSummary> cs = containers(project, services, true, false);
        if (cs.isEmpty() && a != Action.START) {
            return;
        }
        switch (a) {
            case START -> {
                List<String> order = p == null ? List.of() : ServiceGraph.startOrder(p.services());
                for (String svc : order) {
                    parallel(cs.stream().filter(c -> svc.equals(Observer.label(c, Labels.SERVICE))
                            && !"running".equals(c.state())).toList(), c -> replicas.start(c.id(), Observer.name(c)));
                }
                parallel(cs.stream().filter(c -> !order.contains(Observer.label(c, Labels.SERVICE))
                        && !"running".equals(c.state())).toList(), c -> replicas.start(c.id(), Observer.name(c)));
            }
            case STOP -> stopInOrder(p, cs, timeout);
            case RESTART -> parallel(cs, c -> {
                progress.status(Replicas.res(Observer.name(c)), "Restarting");
                client.containers().restart(c.id(), new ContainersApi.StopOptions(timeout, null));
                progress.status(Replicas.res(Observer.name(c)), "Started");
            });
            case KILL -> parallel(cs.stream().filter(c -> "running".equals(c.state())).toList(), c -> {
                progress.status(Replicas.res(Observer.name(c)), "Killing");
                client.containers().kill(c.id(), new ContainersApi.KillOptions(signal));
                progress.status(Replicas.res(Observer.name(c)), "Killed");
            });
            case PAUSE -> parallel(cs.stream().filter(c -> "running".equals(c.state())).toList(), c -> {
                client.containers().pause(c.id());
                progress.status(Replicas.res(Observer.name(c)), "Paused");
            });
            case UNPAUSE -> parallel(cs.stream().filter(c -> "paused".equals(c.state())).toList(), c -> {
                client.containers().unpause(c.id());
                progress.status(Replicas.res(Observer.name(c)), "Unpaused");
            });
        }
    }

    /** {@code rm}: the stopped containers of the services (with {@code stop}, running ones are stopped first). */
    public void rm(String project, List<String> services, boolean stop, boolean volumes) {
        List<ContainerSummary> cs = containers(project, services, true, true);
        if (stop) {
            parallel(cs.stream().filter(c -> "running".equals(c.state())).toList(),
                    c -> replicas.stop(c.id(), Observer.name(c), null));
        } else {
            cs = cs.stream().filter(c -> !"running".equals(c.state()) && !"paused".equals(c.state())).toList();
        }
        parallel(cs, c -> replicas.remove(c.id(), Observer.name(c), volumes));
    }

    /** {@code top} of one container: its {@code Titles} and {@code Processes}. */
    public JsonNode top(String id) {
        return client.containers().top(id, null);
    }

    /** Builds the services that have a {@code build} section. */
    public void build(Project p, List<String> services) {
        ImageSupplier images = new ImageSupplier(client, progress);
        for (Service s : p.select(services)) {
            if (s.build() != null) {
                images.build(p, s);
            }
        }
    }

    /** Pulls the images of the services (those with an {@code image}; built ones are skipped). */
    public void pull(Project p, List<String> services, boolean ignoreFailures) {
        ImageSupplier images = new ImageSupplier(client, progress);
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
        for (Service s : p.select(services)) {
            if (s.image() == null) {
                continue;
            }
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    images.pull(s.image());
                } catch (RuntimeException e) {
                    // as Docker Compose: a service that can be built may have no image in a registry yet
                    if (s.build() == null) {
                        errors.add(e);
                    }
                }
            }));
        }
        ImageSupplier.join(threads);
        if (!errors.isEmpty() && !ignoreFailures) {
            throw errors.getFirst();
        }
    }

    /**
     * Pushes the images the project builds: services with both {@code build} and {@code image}, as
     * Docker Compose does (an image only pulled is someone else's to push).
     */
    public void push(Project p, List<String> services) {
        ImageSupplier images = new ImageSupplier(client, progress);
        for (Service s : p.select(services)) {
            if (s.image() != null && s.build() != null) {
                images.push(s.image());
            }
        }
    }

    /** {@code events}: the project's container events until the stream ends or the consumer throws. */
    public void events(String project, Consumer<EventMessage> consumer) {
        client.system().events(new SystemApi.EventsOptions(null, null, Observer.projectFilter(project)), consumer);
    }

    /** One project the daemon has: its name, its containers' states counted, and its config files. */
    public record ProjectSummary(String name, Map<String, Integer> states, String configFiles) {
        public String status() {
            List<String> parts = new ArrayList<>();
            states.forEach((k, v) -> parts.add(k + "(" + v + ")"));
            return String.join(", ", parts);
        }
    }

    /** {@code ls}: the projects that have running containers (all projects with {@code all}). */
    public List<ProjectSummary> ls(boolean all) {
        Map<String, Map<String, Integer>> states = new TreeMap<>();
        Map<String, String> files = new TreeMap<>();
        for (ContainerSummary c : client.containers().list(new ContainersApi.ListOptions(all, null, false,
                Map.of("label", Set.of(Labels.PROJECT))))) {
            String name = Observer.label(c, Labels.PROJECT);
            states.computeIfAbsent(name, k -> new TreeMap<>()).merge(c.state(), 1, Integer::sum);
            files.putIfAbsent(name, Observer.label(c, Labels.CONFIG_FILES));
        }
        List<ProjectSummary> out = new ArrayList<>();
        states.forEach((k, v) -> out.add(new ProjectSummary(k, v, files.get(k))));
        return out;
    }

    /** What {@code run} creates: a one-off container of a service. */
    public record RunOptions(List<String> command, List<String> entrypoint, Map<String, String> env, String name,
            String user, String workdir, boolean noDeps, boolean servicePorts, List<String> publish, boolean tty,
            boolean interactive, boolean removeAfter) {
    }

    /** Creates (and starts the dependencies of) a one-off container; returns its ID and name. */
    public OneOff.Created createOneOff(Project p, String service, RunOptions o) {
        return new OneOff(client, progress).create(p, p.service(service), o);
    }

    /** The time budget of a wait for a service's health, for callers that wait themselves. */
    public static Duration healthBudget(Service s) {
        return Replicas.healthBudget(s);
    }
}
