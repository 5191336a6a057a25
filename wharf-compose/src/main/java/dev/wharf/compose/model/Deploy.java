package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;

/**
 * {@code deploy:} as a single engine honours it: replicas, the restart policy, and how a changed
 * service is rolled out ({@code update_config}) or rolled back ({@code rollback_config}).
 * Resources are folded into {@link Service.Resources}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deploy(
        @JsonProperty("replicas") Integer replicas,
        @JsonProperty("update_config") UpdateConfig updateConfig,
        @JsonProperty("rollback_config") UpdateConfig rollbackConfig,
        @JsonProperty("restart_policy") RestartPolicy restartPolicy) {

    public Deploy withReplicas(Integer r) {
        return new Deploy(r, updateConfig, rollbackConfig, restartPolicy);
    }

    /**
     * How replicas are replaced: {@code parallelism} at a time, {@code delay} between batches,
     * {@code order} {@code stop-first} or {@code start-first}, {@code failure_action}
     * {@code rollback}, {@code pause} or {@code continue}, and {@code monitor}: how long a new
     * replica must stay up (and healthy) before it counts as a success.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpdateConfig(
            @JsonProperty("parallelism") int parallelism,
            @JsonProperty("delay") @JsonSerialize(using = GoDuration.Writer.class) Duration delay,
            @JsonProperty("failure_action") String failureAction,
            @JsonProperty("monitor") @JsonSerialize(using = GoDuration.Writer.class) Duration monitor,
            @JsonProperty("max_failure_ratio") Double maxFailureRatio,
            @JsonProperty("order") String order) {

        public static final String START_FIRST = "start-first";
        public static final String STOP_FIRST = "stop-first";

        /** The specification's defaults: one at a time, no delay, pause on failure, no monitor, stop-first. */
        public static UpdateConfig defaults() {
            return new UpdateConfig(1, Duration.ZERO, "pause", Duration.ZERO, 0.0, STOP_FIRST);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RestartPolicy(@JsonProperty("condition") String condition,
            @JsonProperty("max_attempts") Integer maxAttempts,
            @JsonProperty("delay") @JsonSerialize(using = GoDuration.Writer.class) Duration delay,
            @JsonProperty("window") @JsonSerialize(using = GoDuration.Writer.class) Duration window) {
    }
}
