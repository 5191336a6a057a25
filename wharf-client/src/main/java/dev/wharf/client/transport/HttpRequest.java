package dev.wharf.client.transport;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request. {@code pathAndQuery} is already encoded. The body is either {@code body} (sent
 * with a Content-Length), or {@code bodyStream} (sent chunked), or neither.
 */
public record HttpRequest(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
        InputStream bodyStream) {

    public HttpRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static HttpRequest of(String method, String pathAndQuery) {
        return new HttpRequest(method, pathAndQuery, Map.of(), null, null);
    }

    public HttpRequest withPath(String p) {
        return new HttpRequest(method, p, headers, body, bodyStream);
    }

    public HttpRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequest(method, pathAndQuery, h, body, bodyStream);
    }

    public HttpRequest withBody(String contentType, byte[] b) {
        return new HttpRequest(method, pathAndQuery, headers, b, null).withHeader("Content-Type", contentType);
    }

    public HttpRequest withBodyStream(String contentType, InputStream in) {
        return new HttpRequest(method, pathAndQuery, headers, null, in).withHeader("Content-Type", contentType);
    }
}
