package dev.wharf.engine.container;

import dev.wharf.model.container.ContainerConfig;
import java.util.List;
import java.util.Map;

/**
 * A container's {@code Config.Healthcheck} as the health monitor runs it, decoded here from the
 * map recorded at create (the request's merged over the image's, by {@link Healthchecks}, and
 * echoed by inspect as recorded). Durations are in nanoseconds; 0 (and {@code retries} 0) means
 * "not given", for which the monitor uses Docker's defaults.
 *
 * @param test the probe as given: {@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]} or a bare command
 */
public record Healthcheck(List<String> test, long interval, long timeout, long startPeriod, long startInterval,
        int retries) {

    /** The container's healthcheck, or null when it has none (or {@code NONE}). */
    public static Healthcheck of(ContainerConfig cfg) {
        if (cfg == null || !(cfg.other().get("Healthcheck") instanceof Map<?, ?> m)) {
            return null;
        }
        if (!(m.get("Test") instanceof List<?> l) || l.isEmpty() || "NONE".equals(l.getFirst())) {
            return null;
        }
        return new Healthcheck(l.stream().map(String::valueOf).toList(), nanos(m.get("Interval")),
                nanos(m.get("Timeout")), nanos(m.get("StartPeriod")), nanos(m.get("StartInterval")),
                m.get("Retries") instanceof Number n && n.intValue() > 0 ? n.intValue() : 0);
    }

    /** The command to exec: {@code CMD-SHELL} through {@code /bin/sh -c}. */
    public List<String> command() {
        return switch (test.getFirst()) {
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            case "CMD" -> List.copyOf(test.subList(1, test.size()));
            default -> List.copyOf(test);
        };
    }

    private static long nanos(Object o) {
        return o instanceof Number n && n.longValue() > 0 ? n.longValue() : 0;
    }
}
