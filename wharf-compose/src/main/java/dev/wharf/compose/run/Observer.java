package dev.wharf.compose.run;

import dev.wharf.client.ContainersApi;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.plan.ObservedContainer;
import dev.wharf.model.container.ContainerSummary;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the daemon has of a project, found by the {@code com.docker.compose.project} label. */
final class Observer {

    private final WharfClient client;

    Observer(WharfClient client) {
        this.client = client;
    }

    static Map<String, Set<String>> projectFilter(String project) {
        return Map.of("label", Set.of(Labels.PROJECT + "=" + project));
    }

    /** Every container of the project, one-off ones included, by service then number. */
    List<ContainerSummary> summaries(String project, boolean all) {
        return client.containers().list(new ContainersApi.ListOptions(all, null, false, projectFilter(project))).stream()
                .sorted(Comparator.comparing((ContainerSummary c) -> label(c, Labels.SERVICE))
                        .thenComparingInt(c -> number(c)).thenComparing(c -> name(c)))
                .toList();
    }

    List<ObservedContainer> containers(String project) {
        return summaries(project, true).stream().map(Observer::observed).toList();
    }

    static ObservedContainer observed(ContainerSummary c) {
        return ObservedContainer.of(c.id(), name(c), c.state(), c.labels());
    }

    static String name(ContainerSummary c) {
        String n = c.names() == null || c.names().isEmpty() ? c.id() : c.names().getFirst();
        return n.startsWith("/") ? n.substring(1) : n;
    }

    static String label(ContainerSummary c, String key) {
        return c.labels() == null ? "" : c.labels().getOrDefault(key, "");
    }

    static int number(ContainerSummary c) {
        try {
            return Integer.parseInt(label(c, Labels.CONTAINER_NUMBER));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
