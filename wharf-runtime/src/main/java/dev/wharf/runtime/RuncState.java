package dev.wharf.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code runc state} output: status is created, running, stopped or paused; pid 0 once stopped. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuncState(
        @JsonProperty("id") String id,
        @JsonProperty("status") String status,
        @JsonProperty("pid") int pid,
        @JsonProperty("bundle") String bundle) {

    public boolean running() {
        return "running".equals(status);
    }
}
