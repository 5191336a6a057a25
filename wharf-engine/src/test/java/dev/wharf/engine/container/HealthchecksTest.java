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

    @Test
    void theMergedHealthcheck_readsAsTypedValues_andNoneOrNoTestIsNoHealthcheck() {
        var cfg = config(Map.of("Healthcheck", Map.of("Interval", 2_000_000_000L)));
        var merged = Healthchecks.merge(cfg, Map.of("Test", java.util.List.of("CMD-SHELL", "true", "&&", "x"),
                "Retries", 5, "Timeout", "10s"));
        Healthcheck h = Healthcheck.of(merged);
        assertThat(h).isEqualTo(new Healthcheck(java.util.List.of("CMD-SHELL", "true", "&&", "x"), 2_000_000_000L,
                0, 0, 0, 5));
        assertThat(h.command()).containsExactly("/bin/sh", "-c", "true && x");
        assertThat(Healthcheck.of(config(Map.of("Healthcheck", Map.of("Test", java.util.List.of("CMD", "a", "b")))))
                .command()).containsExactly("a", "b");
        assertThat(Healthcheck.of(config(Map.of("Healthcheck", Map.of("Test", java.util.List.of("NONE"))))))
                .isNull();
        assertThat(Healthcheck.of(config(Map.of("Healthcheck", Map.of("Interval", 1))))).isNull();
        assertThat(Healthcheck.of(config(Map.of("Healthcheck", "CMD true")))).isNull();
        assertThat(Healthcheck.of(config(Map.of()))).isNull();
    }

    private static dev.wharf.model.container.ContainerConfig config(Map<String, Object> other) {
        return new dev.wharf.model.container.ContainerConfig(null, null, null, false, false, false, null, false,
                false, false, null, null, "img", null, null, null, null, null, null,
                new java.util.LinkedHashMap<>(other));
    }
}
