package dev.wharf.registry;

import dev.wharf.base.id.Digest;
import dev.wharf.oci.MediaTypes;
import dev.wharf.oci.image.Descriptor;
import dev.wharf.registry.RegistryException.Kind;
import dev.wharf.registry.auth.Credentials;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code GET|HEAD|PUT /v2/<name>/manifests/<reference>}. */
final class ManifestEndpoint {

    static final int MAX_MANIFEST = 4 << 20;

    private final Caller caller;

    ManifestEndpoint(Caller caller) {
        this.caller = caller;
    }

    Repository.FetchedManifest get(String host, String path, String ref, List<String> scopes, Credentials creds) {
        Caller.Call c = new Caller.Call("GET", host, "/v2/" + path + "/manifests/" + ref,
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), null, true, scopes, Set.of());
        HttpResponse<InputStream> r = caller.send(c, creds);
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_MANIFEST + 1);
        } catch (java.io.IOException e) {
            throw caller.transport(c, caller.uri(c), e);
        }
        if (body.length > MAX_MANIFEST) {
            throw new RegistryException(Kind.PROTOCOL, 200, "manifest " + ref + " is larger than 4 MiB");
        }
        String digest = Digest.of(body).toString();
        if (ref.startsWith("sha256:") && !ref.equals(digest)) {
            throw new RegistryException(Kind.DIGEST_MISMATCH, 200, "manifest verification failed for digest " + ref);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        int semi = type.indexOf(';');
        type = (semi < 0 ? type : type.substring(0, semi)).strip();
        return new Repository.FetchedManifest(body, type, digest);
    }

    Optional<Descriptor> head(String host, String path, String ref, List<String> scopes, Credentials creds) {
        Caller.Call c = new Caller.Call("HEAD", host, "/v2/" + path + "/manifests/" + ref,
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), null, true, scopes, Set.of(404));
        HttpResponse<InputStream> r = caller.send(c, creds);
        Caller.drain(r);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(Descriptor.of(r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("Docker-Content-Digest").orElse(""),
                r.headers().firstValueAsLong("Content-Length").orElse(-1)));
    }

    String put(String host, String path, String ref, byte[] bytes, String mediaType, List<String> scopes,
            Credentials creds) {
        Caller.Call c = new Caller.Call("PUT", host, "/v2/" + path + "/manifests/" + ref,
                Map.of("Content-Type", mediaType), () -> HttpRequest.BodyPublishers.ofByteArray(bytes), true, scopes,
                Set.of());
        HttpResponse<InputStream> r = caller.send(c, creds);
        Caller.drain(r);
        return r.headers().firstValue("Docker-Content-Digest").orElse(Digest.of(bytes).toString());
    }
}
