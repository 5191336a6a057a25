package dev.wharf.model.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One message of the {@code POST /build} stream, as Docker's classic builder writes it:
 * {@code {"stream":"Step 1/2 : FROM x"}}, {@code {"aux":{"ID":"sha256:…"}}}, or an error
 * {@code {"errorDetail":{"code":3,"message":"…"},"error":"…"}}. Also what a client reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("status") String status,
        @JsonProperty("aux") Map<String, Object> aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    public static BuildMessage stream(String text) {
        return new BuildMessage(text, null, null, null, null);
    }

    public static BuildMessage imageId(String id) {
        return new BuildMessage(null, null, Map.of("ID", id), null, null);
    }

    public static BuildMessage failure(String message, Integer code) {
        return new BuildMessage(null, null, null, new ErrorDetail(code, message), message);
    }

    /** {@code code} is the failed command's exit code, absent for other errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorDetail(@JsonProperty("code") Integer code, @JsonProperty("message") String message) {
    }
}
