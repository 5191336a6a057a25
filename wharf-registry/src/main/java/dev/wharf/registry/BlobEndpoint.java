package dev.wharf.registry;

import dev.wharf.registry.auth.Credentials;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** {@code GET|HEAD /v2/<name>/blobs/<digest>}. */
final class BlobEndpoint {

    private final Caller caller;

    BlobEndpoint(Caller caller) {
        this.caller = caller;
    }

    /** The blob's bytes as the registry sends them (the caller verifies them), from {@code offset}. */
    Repository.Blob open(String host, String path, String digest, long offset, List<String> scopes,
            Credentials creds) {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = caller.send(new Caller.Call("GET", host, "/v2/" + path + "/blobs/" + digest,
                headers, null, true, scopes, Set.of()), creds);
        OptionalLong len = r.headers().firstValueAsLong("Content-Length");
        boolean partial = r.statusCode() == 206;
        return new Repository.Blob(r.body(), len.isPresent() ? len.getAsLong() : -1, partial ? offset : 0);
    }

    /** The blob's size when the repository has it. */
    Optional<Long> stat(String host, String path, String digest, List<String> scopes, Credentials creds) {
        HttpResponse<InputStream> r = caller.send(new Caller.Call("HEAD", host, "/v2/" + path + "/blobs/" + digest,
                Map.of(), null, true, scopes, Set.of(404)), creds);
        Caller.drain(r);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(r.headers().firstValueAsLong("Content-Length").orElse(-1));
    }
}
