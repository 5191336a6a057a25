package dev.wharf.registry;

import dev.wharf.registry.RegistryException.Kind;
import dev.wharf.registry.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (with {@code ?mount=&from=} for a
 * cross-repository mount), then either one {@code PUT <location>?digest=} carrying the whole blob
 * (monolithic) or {@code PATCH <location>} chunks and an empty closing {@code PUT}.
 */
final class UploadEndpoint {

    private final Caller caller;

    UploadEndpoint(Caller caller) {
        this.caller = caller;
    }

    /** Mounts {@code digest} from {@code from}; false when the registry started an upload instead. */
    boolean mount(String host, String path, String digest, String from, List<String> scopes, Credentials creds) {
        HttpResponse<InputStream> r = caller.send(new Caller.Call("POST", host, "/v2/" + path
                + "/blobs/uploads/?mount=" + enc(digest) + "&from=" + enc(from), Map.of(), null,
                true, scopes, Set.of()), creds);
        Caller.drain(r);
        if (r.statusCode() == 201) {
            return true;
        }
        String loc = r.headers().firstValue("Location").orElse(null);
        if (loc != null) {
            cancel(host, path, loc, scopes, creds);
        }
        return false;
    }

    /** Starts an upload; returns its location (absolute). */
    String start(String host, String path, List<String> scopes, Credentials creds) {
        Caller.Call c = new Caller.Call("POST", host, "/v2/" + path + "/blobs/uploads/", Map.of(), null, true, scopes,
                Set.of());
        HttpResponse<InputStream> r = caller.send(c, creds);
        Caller.drain(r);
        return location(c, r);
    }

    /** The whole blob in the closing PUT. */
    void putWhole(String host, String path, String location, String digest, long size,
            Supplier<InputStream> body, List<String> scopes, Credentials creds) {
        HttpRequest.BodyPublisher p = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(body), size);
        HttpResponse<InputStream> r = caller.send(new Caller.Call("PUT", host, withDigest(location, digest),
                Map.of("Content-Type", "application/octet-stream"), () -> p, false, scopes, Set.of()), creds);
        Caller.drain(r);
    }

    /** One PATCH of {@code body} (its length unknown: sent chunked); returns the next location. */
    String patch(String host, String path, String location, InputStream body, List<String> scopes, Credentials creds) {
        Caller.Call c = new Caller.Call("PATCH", host, location, Map.of("Content-Type", "application/octet-stream"),
                () -> HttpRequest.BodyPublishers.ofInputStream(() -> body), false, scopes, Set.of());
        HttpResponse<InputStream> r = caller.send(c, creds);
        Caller.drain(r);
        return location(c, r);
    }

    /** The closing PUT of a chunked upload. */
    void finish(String host, String path, String location, String digest, List<String> scopes, Credentials creds) {
        HttpResponse<InputStream> r = caller.send(new Caller.Call("PUT", host, withDigest(location, digest),
                Map.of(), null, true, scopes, Set.of()), creds);
        Caller.drain(r);
    }

    void cancel(String host, String path, String location, List<String> scopes, Credentials creds) {
        try {
            Caller.drain(caller.send(new Caller.Call("DELETE", host, location, Map.of(), null, true, scopes,
                    Set.of(404, 405)), creds));
        } catch (RegistryException ignored) {
            // the registry expires abandoned uploads
        }
    }

    private String location(Caller.Call c, HttpResponse<InputStream> r) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(Kind.PROTOCOL,
                r.statusCode(), "the registry gave no upload location"));
        return caller.uri(c).resolve(URI.create(loc)).toString();
    }

    private static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static IOException unwrap(Throwable t) {
        return t instanceof IOException io ? io : new IOException(t);
    }
}
