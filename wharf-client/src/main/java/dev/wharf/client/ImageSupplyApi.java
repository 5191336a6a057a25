package dev.wharf.client;

import dev.wharf.client.transport.HttpRequest;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where images come from and go to, as the Docker API documents it: {@code POST /build} (the
 * classic builder, a tar context), {@code POST /images/create?fromImage=} (pull) and
 * {@code POST /images/{name}/push}. Each passes the daemon's JSON progress messages to a consumer;
 * an {@code error} in the stream becomes an {@link ApiException}. Used by Compose's build, pull
 * and push; it talks to whichever daemon implements these endpoints.
 */
public final class ImageSupplyApi {

    /** {@code X-Registry-Auth} for anonymous access: base64 of {@code {}}, as the docker CLI sends it. */
    static final String NO_AUTH = Base64.getUrlEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));

    private final WharfClient client;

    private ImageSupplyApi(WharfClient client) {
        this.client = client;
    }

    public static ImageSupplyApi of(WharfClient client) {
        return new ImageSupplyApi(client);
    }

    /**
     * What {@code POST /build} takes besides the context: tags, the Dockerfile's path in the
     * context, build args, target stage, labels, network mode, no-cache, pull, shm size, extra
     * hosts and cache-from images.
     */
    public record BuildOptions(List<String> tags, String dockerfile, Map<String, String> buildArgs, String target,
            Map<String, String> labels, String networkMode, boolean noCache, boolean pull, Long shmSize,
            List<String> extraHosts, List<String> cacheFrom) {
    }

    /** What a build ended with: the image ID from the {@code aux} message (null if none came). */
    public record BuildResult(String imageId) {
    }

    /** {@code POST /build?version=1} with the context tar as the body. */
    public BuildResult build(InputStream contextTar, BuildOptions o, Consumer<ProgressMessage> progress) {
        Query q = Query.path("/build").add("dockerfile", o.dockerfile()).add("target", o.target())
                .add("networkmode", o.networkMode()).flag("nocache", o.noCache()).flag("pull", o.pull())
                .add("shmsize", o.shmSize()).add("rm", "1").add("forcerm", "1").add("version", "1");
        for (String t : o.tags() == null ? List.<String>of() : o.tags()) {
            q.add("t", t);
        }
        if (o.buildArgs() != null && !o.buildArgs().isEmpty()) {
            q.add("buildargs", json(o.buildArgs()));
        }
        if (o.labels() != null && !o.labels().isEmpty()) {
            q.add("labels", json(o.labels()));
        }
        if (o.cacheFrom() != null && !o.cacheFrom().isEmpty()) {
            q.add("cachefrom", json(o.cacheFrom()));
        }
        for (String h : o.extraHosts() == null ? List.<String>of() : o.extraHosts()) {
            q.add("extrahosts", h);
        }
        HttpRequest req = HttpRequest.of("POST", q.toString()).withBodyStream("application/x-tar", contextTar)
                .withHeader("X-Registry-Config", Base64.getUrlEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
        String[] id = new String[1];
        ImagesApi.readProgress(client.send(req), m -> {
            if (m.aux() != null && m.aux().get("ID") instanceof String s) {
                id[0] = s;
            }
            progress.accept(m);
        });
        return new BuildResult(id[0]);
    }

    public record PullResult() {
    }

    /** {@code POST /images/create?fromImage=&tag=}; {@code registryAuth} may be null (anonymous). */
    public PullResult pull(String image, String tag, String registryAuth, Consumer<ProgressMessage> progress) {
        Query q = Query.path("/images/create").add("fromImage", image).add("tag", tag);
        HttpRequest req = HttpRequest.of("POST", q.toString()).withHeader("X-Registry-Auth",
                registryAuth == null ? NO_AUTH : registryAuth);
        ImagesApi.readProgress(client.send(req), progress);
        return new PullResult();
    }

    public record PushResult() {
    }

    /** {@code POST /images/{name}/push?tag=}; the daemon requires the auth header, anonymous or not. */
    public PushResult push(String image, String tag, String registryAuth, Consumer<ProgressMessage> progress) {
        Query q = Query.path("/images/%s/push", image).add("tag", tag);
        HttpRequest req = HttpRequest.of("POST", q.toString()).withHeader("X-Registry-Auth",
                registryAuth == null ? NO_AUTH : registryAuth);
        ImagesApi.readProgress(client.send(req), progress);
        return new PushResult();
    }

    private static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (IOException e) {
            throw new WharfClientException("cannot encode request: " + e.getMessage(), e);
        }
    }
}
