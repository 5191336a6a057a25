package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthchecksTest {

    @Test
    void healthcheck_requestFieldsOverTheImages_noneTurnsItOff() {
        var cfg = new dev.wharf.model.container.ContainerConfig(null, null, null, false, false, false, null, false,
                false, false, null, null, "img", null, null, null, null, null, null,
                new java.util.LinkedHashMap<>(Map.of("Healthcheck", Map.of("Interval", 2_000_000_000L))));
        var merged = Healthchecks.merge(cfg, Map.of("Test", java.util.List.of("CMD-SHELL", "true"), "Interval",
                30_000_000_000L, "Retries", 5));
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) merged.other().get("Healthcheck");
        assertThat(h).containsEntry("Interval", 2_000_000_000L).containsEntry("Retries", 5)
                .containsEntry("Test", java.util.List.of("CMD-SHELL", "true"));
    }
}
