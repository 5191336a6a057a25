package dev.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Registries through the daemon: pull, push, login. Credentials travel as {@code X-Registry-Auth}. */
public final class DistributionApi {

    private final WharfClient client;

    DistributionApi(WharfClient client) {
        this.client = client;
    }

    /** What a registry needs to know about the user; all null for anonymous. */
    public record RegistryAuth(String username, String password, String serverAddress, String identityToken) {
        public static RegistryAuth anonymous() {
            return new RegistryAuth(null, null, null, null);
        }

        /** The header value: base64url JSON, {@code e30=} when anonymous, as the docker CLI sends it. */
        public String header() {
            Map<String, String> m = new LinkedHashMap<>();
            if (username != null) {
                m.put("username", username);
            }
            if (password != null) {
                m.put("password", password);
            }
            if (serverAddress != null && (username != null || identityToken != null)) {
                m.put("serveraddress", serverAddress);
            }
            if (identityToken != null && !identityToken.isEmpty()) {
                m.put("identitytoken", identityToken);
            }
            try {
                return Base64.getUrlEncoder().encodeToString(Json.mapper().writeValueAsBytes(m));
            } catch (IOException e) {
                throw new WharfClientException(e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "RegistryAuth[" + (username == null ? "anonymous" : username) + "@" + serverAddress + "]";
        }
    }

    /** {@code tag} empty with a bare repository: every tag. */
    public record PullOptions(String image, String tag, String platform, RegistryAuth auth) {
    }

    public record PullResult() {
    }

    /** {@code POST /images/create?fromImage=&tag=&platform=}; each progress message to the consumer. */
    public PullResult pull(PullOptions o, Consumer<ProgressMessage> progress) {
        Query q = Query.path("/images/create").add("fromImage", o.image()).add("tag", o.tag() == null ? "" : o.tag())
                .add("platform", o.platform());
        HttpRequest req = HttpRequest.of("POST", q.toString()).withHeader("X-Registry-Auth", o.auth().header());
        ImagesApi.readProgress(client.send(req), progress);
        return new PullResult();
    }

    public record PushOptions(String name, String tag, RegistryAuth auth) {
    }

    public record PushResult() {
    }

    /** {@code POST /images/{name}/push?tag=}. */
    public PushResult push(PushOptions o, Consumer<ProgressMessage> progress) {
        Query q = Query.path("/images/%s/push", o.name()).add("tag", o.tag() == null ? "" : o.tag());
        HttpRequest req = HttpRequest.of("POST", q.toString()).withHeader("X-Registry-Auth", o.auth().header());
        ImagesApi.readProgress(client.send(req), progress);
        return new PushResult();
    }

    public record LoginResult(String status, String identityToken) {
    }

    /** {@code POST /auth}: the daemon checks the credentials against the registry. */
    public LoginResult login(RegistryAuth auth) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", auth.username());
        body.put("password", auth.password());
        body.put("serveraddress", auth.serverAddress());
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new WharfClientException(e.getMessage(), e);
        }
        HttpRequest req = HttpRequest.of("POST", "/auth").withBody("application/json", json);
        JsonNode r = client.readJson(client.send(req), JsonNode.class);
        return new LoginResult(r.path("Status").asText(""), r.path("IdentityToken").asText(""));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
