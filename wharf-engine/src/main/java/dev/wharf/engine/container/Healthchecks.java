package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.ContainerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's {@code Config.Healthcheck} at create: the request's fields over the image's
 * HEALTHCHECK (moby {@code merge}), checked as moby checks them. {@code Test ["NONE"]}
 * ({@code --no-healthcheck}) turns an image's check off.
 */
final class Healthchecks {

    private static final long MIN_DURATION_NANOS = 1_000_000; // moby: at least 1ms
    private static final List<String> DURATIONS = List.of("Interval", "Timeout", "StartPeriod", "StartInterval");

    private Healthchecks() {
    }

    @SuppressWarnings("unchecked")
    static ContainerConfig merge(ContainerConfig cfg, Object fromImage) {
        Object asked = cfg.other().get("Healthcheck");
        if (asked != null && !(asked instanceof Map)) {
            throw new InvalidArgumentException("Config.Healthcheck must be an object");
        }
        Map<String, Object> req = asked == null ? Map.of() : (Map<String, Object>) asked;
        Map<String, Object> img = fromImage instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (req.isEmpty() && img.isEmpty()) {
            return cfg;
        }
        Map<String, Object> out = new LinkedHashMap<>(img);
        for (Map.Entry<String, Object> e : req.entrySet()) {
            Object v = e.getValue();
            boolean zero = v == null || v instanceof Number n && n.longValue() == 0
                    || v instanceof List<?> l && l.isEmpty();
            if (!zero) {
                out.put(e.getKey(), v);
            }
        }
        for (String k : DURATIONS) {
            if (out.get(k) instanceof Number n && n.longValue() != 0 && n.longValue() < MIN_DURATION_NANOS) {
                throw new InvalidArgumentException("Healthcheck." + k + " in " + k.toLowerCase()
                        + " cannot be less than 1ms");
            }
        }
        if (out.get("Retries") instanceof Number n && n.intValue() < 0) {
            throw new InvalidArgumentException("Retries in Healthcheck cannot be negative");
        }
        Map<String, Object> other = new LinkedHashMap<>(cfg.other());
        other.put("Healthcheck", out);
        return new ContainerConfig(cfg.hostname(), cfg.domainname(), cfg.user(), cfg.attachStdin(),
                cfg.attachStdout(), cfg.attachStderr(), cfg.exposedPorts(), cfg.tty(), cfg.openStdin(),
                cfg.stdinOnce(), cfg.env(), cfg.cmd(), cfg.image(), cfg.volumes(), cfg.workingDir(), cfg.entrypoint(),
                cfg.labels(), cfg.stopSignal(), cfg.stopTimeout(), other);
    }
}
