package dev.wharf.model.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One message of the {@code POST /build} stream, as Docker's classic builder writes it:
 * {@code {"stream":"Step 1/2 : FROM x"}}, {@code {"aux":{"ID":"sha256:…"}}}, or an error
 * {@code {"errorDetail":{"code":3,"message":"…"},"error":"…"}}, or the progress of a FROM's
 * pull ({@code {"status":"Downloading","id":"…","progressDetail":{…}}}). Also what a client reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("progressDetail") Map<String, Object> progressDetail,
        @JsonProperty("progress") String progress,
        @JsonProperty("aux") Map<String, Object> aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    public static BuildMessage stream(String text) {
        return new BuildMessage(text, null, null, null, null, null, null, null);
    }

    public static BuildMessage imageId(String id) {
        return new BuildMessage(null, null, null, null, null, Map.of("ID", id), null, null);
    }

    /** A pull's progress message, as Docker's builder passes a FROM's pull through. */
    public static BuildMessage progress(String status, String id, Map<String, Object> progressDetail,
            String progress) {
        return new BuildMessage(null, status, id, progressDetail, progress, null, null, null);
    }

    public static BuildMessage failure(String message, Integer code) {
        return new BuildMessage(null, null, null, null, null, null, new ErrorDetail(code, message), message);
    }

    /** {@code code} is the failed command's exit code, absent for other errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorDetail(@JsonProperty("code") Integer code, @JsonProperty("message") String message) {
    }
}
