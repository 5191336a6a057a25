package dev.wharf.compose.plan;

import dev.wharf.compose.model.Service;
import java.util.List;

/**
 * What {@code up} will do, service by service in start order, and which orphan containers (of
 * services no longer in the files) it finds.
 */
public record Plan(List<ServicePlan> services, List<ObservedContainer> orphans) {

    public Plan {
        services = List.copyOf(services);
        orphans = List.copyOf(orphans);
    }

    /**
     * The steps for one service. {@code rolling} when outdated replicas are replaced a few at a
     * time (the service is scaled or has {@code deploy.update_config}) instead of all at once.
     */
    public record ServicePlan(Service service, String configHash, List<Step> steps, boolean rolling) {
        public ServicePlan {
            steps = List.copyOf(steps);
        }

        public boolean changes() {
            return steps.stream().anyMatch(s -> !(s instanceof Step.Keep));
        }
    }

    /** One thing to do to one replica. */
    public sealed interface Step {
        /** A new replica with this number. */
        record Create(int number) implements Step {
        }

        /** The replica is outdated (config or image changed, or forced): replace it. */
        record Recreate(ObservedContainer old) implements Step {
        }

        /** Up to date but not running: start it. */
        record Start(ObservedContainer container) implements Step {
        }

        /** Up to date and running. */
        record Keep(ObservedContainer container) implements Step {
        }

        /** Beyond the wanted number of replicas (or a duplicate): stop and remove it. */
        record Remove(ObservedContainer container) implements Step {
        }
    }
}
