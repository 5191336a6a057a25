package dev.wharf.daemon.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.ProgressListener;
import dev.wharf.engine.image.PullRequest;
import dev.wharf.engine.image.PushRequest;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.auth.Credentials;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registry routes.
 * <pre>
 *   POST   /images/create?fromImage&tag&platform   pull (progress stream; X-Registry-Auth); registered by ImageRoutes
 *   POST   /images/{name}/push?tag                 push (progress stream; X-Registry-Auth)
 *   POST   /auth                                   check credentials against a registry (docker login)
 *   GET    /distribution/{name}/json               the registry's descriptor and platforms (X-Registry-Auth)
 * </pre>
 * A failure before the first progress message is an ordinary error response (404 unknown
 * manifest, 401 refused credentials, 500 unreachable registry); after it, an {@code errorDetail}
 * message ends the stream, as moby does. A pull or push whose client goes away stops.
 */
public final class DistributionRoutes {

    private final ImageService images;

    public DistributionRoutes(ImageService images) {
        this.images = images;
    }

    public void register(Router r) {
        r.add("POST", "/images/{name*}/push", this::push);
        r.add("POST", "/auth", this::auth);
        r.add("GET", "/distribution/{name*}/json", ex -> ex.respondJson(200,
                images.distributionInspect(ex.param("name"), credentials(ex))));
    }

    void pull(Exchange ex, String fromImage) throws IOException {
        String tag = ex.query("tag");
        boolean hasTagOrDigest = fromImage.contains("@") || fromImage.lastIndexOf(':') > fromImage.lastIndexOf('/');
        boolean all = (tag == null || tag.isEmpty()) && !hasTagOrDigest;
        PullRequest req = new PullRequest(fromImage, tag, ex.query("platform"), credentials(ex), all);
        try (Stream s = new Stream(ex)) {
            try {
                images.pull(req, s);
            } catch (RuntimeException e) {
                s.fail(e);
            }
        }
    }

    private void push(Exchange ex) throws IOException {
        PushRequest req = new PushRequest(ex.param("name"), ex.query("tag"), credentials(ex));
        try (Stream s = new Stream(ex)) {
            try {
                images.push(req, s);
            } catch (RuntimeException e) {
                s.fail(e);
            }
        }
    }

    private void auth(Exchange ex) {
        JsonNode body = ex.bodyJson(JsonNode.class);
        if (body == null) {
            throw new InvalidArgumentException("a login needs a JSON body with username, password and serveraddress");
        }
        Credentials c = new Credentials(text(body, "username"), text(body, "password"), text(body, "identitytoken"),
                text(body, "registrytoken"));
        RegistryClient.Login login = images.login(text(body, "serveraddress"), c);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IdentityToken", login.identityToken());
        out.put("Status", login.status());
        ex.respondJson(200, out);
    }

    /** {@code X-Registry-Auth}: base64url JSON (standard alphabet and missing padding accepted); absent is anonymous. */
    static Credentials credentials(Exchange ex) {
        return decodeAuth(ex.header("X-Registry-Auth"));
    }

    static Credentials decodeAuth(String header) {
        if (header == null || header.isBlank()) {
            return Credentials.anonymous();
        }
        String h = header.strip().replace('+', '-').replace('/', '_');
        while (h.endsWith("=")) {
            h = h.substring(0, h.length() - 1);
        }
        JsonNode j;
        try {
            j = Json.mapper().readTree(Base64.getUrlDecoder().decode(h));
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidArgumentException("invalid X-Registry-Auth header: not base64url-encoded JSON");
        }
        if (j == null || !j.isObject()) {
            return Credentials.anonymous();
        }
        String user = text(j, "username");
        String password = text(j, "password");
        String auth = text(j, "auth");
        if ((user == null || user.isEmpty()) && auth != null && !auth.isEmpty()) {
            String pair = new String(Base64.getMimeDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                user = pair.substring(0, colon);
                password = pair.substring(colon + 1);
            }
        }
        return new Credentials(user, password, text(j, "identitytoken"), text(j, "registrytoken"));
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * The progress stream: its 200 and headers go out with the first message. When the client goes
     * away the operation is {@linkplain #cancelled() cancelled}, as Docker's is with its request.
     */
    private static final class Stream implements ProgressListener, AutoCloseable {
        private final Exchange ex;
        private OutputStream out;

        Stream(Exchange ex) {
            this.ex = ex;
        }

        @Override
        public boolean cancelled() {
            return ex.clientGone();
        }

        @Override
        public synchronized void progress(ProgressMessage m) {
            try {
                if (out == null) {
                    out = ex.stream(200, "application/json");
                }
                byte[] json = Json.mapper().writeValueAsBytes(m);
                byte[] line = new byte[json.length + 2];
                System.arraycopy(json, 0, line, 0, json.length);
                line[json.length] = '\r';
                line[json.length + 1] = '\n';
                out.write(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Before the first message: an ordinary error response; after it: an errorDetail message. */
        synchronized void fail(RuntimeException e) {
            if (out == null) {
                throw e;
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                progress(ProgressMessage.failure(msg));
            } catch (UncheckedIOException gone) {
                // the client left
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (out != null) {
                out.close();
            }
        }
    }
}
