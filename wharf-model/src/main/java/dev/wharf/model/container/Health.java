package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code State.Health} in container inspect: the healthcheck's status ({@code starting},
 * {@code healthy}, {@code unhealthy}), its count of consecutive failures, and the last probes.
 * Also the form the engine stores it in, so a restarted daemon shows it and resumes from it.
 */
public record Health(
        @JsonProperty("Status") String status,
        @JsonProperty("FailingStreak") int failingStreak,
        @JsonProperty("Log") List<Probe> log) {

    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";

    public Health {
        log = log == null ? List.of() : List.copyOf(log);
    }

    /** A container whose healthcheck has not decided yet. */
    public static Health starting() {
        return new Health(STARTING, 0, List.of());
    }

    /** One probe: when it ran (RFC 3339), its exit code and what it printed. */
    public record Probe(
            @JsonProperty("Start") String start,
            @JsonProperty("End") String end,
            @JsonProperty("ExitCode") int exitCode,
            @JsonProperty("Output") String output) {
    }
}
