package dev.wharf.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One message of a JSON progress stream (import, load, pull, push, build). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressMessage(
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("progressDetail") Map<String, Object> progressDetail,
        @JsonProperty("progress") String progress,
        @JsonProperty("stream") String stream,
        @JsonProperty("aux") Map<String, Object> aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    public static ProgressMessage status(String s) {
        return new ProgressMessage(s, null, null, null, null, null, null, null);
    }

    public static ProgressMessage progress(String id, String status, long current, long total, String bar) {
        return new ProgressMessage(status, id, Map.of("current", current, "total", total), bar, null, null, null,
                null);
    }

    public static ProgressMessage stream(String s) {
        return new ProgressMessage(null, null, null, null, s, null, null, null);
    }

    public static ProgressMessage failure(String message) {
        return new ProgressMessage(null, null, null, null, null, null, new ErrorDetail(message), message);
    }

    public record ErrorDetail(@JsonProperty("message") String message) {
    }
}
