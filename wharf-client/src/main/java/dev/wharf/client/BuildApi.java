package dev.wharf.client;

import com.fasterxml.jackson.databind.MappingIterator;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.model.Json;
import dev.wharf.model.build.BuildMessage;
import dev.wharf.model.build.BuildPruneResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds: {@code POST /build} (the classic builder's JSON stream) and {@code POST /build/prune}. */
public final class BuildApi {

    private final WharfClient client;

    BuildApi(WharfClient client) {
        this.client = client;
    }

    /**
     * What {@code docker build} sends. {@code secretIds} name secrets the context tar carries under
     * {@code .wharf-build-secrets/<id>} (Wharf's transport for {@code --secret}).
     */
    public record BuildOptions(String dockerfile, List<String> tags, Map<String, String> buildArgs, String target,
            Map<String, String> labels, boolean noCache, boolean pull, boolean quiet, List<String> secretIds,
            String platform, String networkMode, List<String> cacheFrom) {
    }

    /** The image built. */
    public record BuildResult(String imageId) {
    }

    /** A build whose stream ended in an error: a failed step carries the command's exit code. */
    public static final class BuildFailedException extends WharfClientException {
        private final int code;

        public BuildFailedException(String message, int code) {
            super(message, null);
            this.code = code;
        }

        /** The failed command's exit code, or 0 when the error was not a command's. */
        public int code() {
            return code;
        }
    }

    /** Sends the context tar and passes every message of the stream to {@code messages}, as it arrives. */
    public BuildResult build(InputStream contextTar, BuildOptions o, Consumer<BuildMessage> messages) {
        Query q = Query.path("/build").add("dockerfile", o.dockerfile());
        for (String t : o.tags()) {
            q.add("t", t);
        }
        q.flag("q", o.quiet()).flag("nocache", o.noCache()).flag("pull", o.pull()).add("rm", "1")
                .add("target", o.target() == null || o.target().isEmpty() ? null : o.target())
                .add("platform", o.platform()).add("networkmode", o.networkMode()).add("version", "1");
        try {
            if (!o.buildArgs().isEmpty()) {
                q.add("buildargs", Json.mapper().writeValueAsString(o.buildArgs()));
            }
            if (!o.labels().isEmpty()) {
                q.add("labels", Json.mapper().writeValueAsString(o.labels()));
            }
            if (!o.cacheFrom().isEmpty()) {
                q.add("cachefrom", Json.mapper().writeValueAsString(o.cacheFrom()));
            }
        } catch (IOException e) {
            throw new WharfClientException("cannot encode build options: " + e.getMessage(), e);
        }
        if (!o.secretIds().isEmpty()) {
            q.add("secrets", String.join(",", o.secretIds()));
        }
        HttpRequest req = HttpRequest.of("POST", q.toString()).withHeader("X-Registry-Config", "e30=")
                .withBodyStream("application/x-tar", contextTar);
        String id = null;
        try (HttpResponse resp = client.send(req); MappingIterator<BuildMessage> it = Json.mapper()
                .readerFor(BuildMessage.class).readValues(resp.body())) {
            while (it.hasNextValue()) {
                BuildMessage m = it.nextValue();
                if (m.error() != null || m.errorDetail() != null) {
                    String msg = m.errorDetail() != null && m.errorDetail().message() != null
                            ? m.errorDetail().message() : m.error();
                    int code = m.errorDetail() != null && m.errorDetail().code() != null ? m.errorDetail().code() : 0;
                    throw new BuildFailedException(msg, code);
                }
                if (m.aux() != null && m.aux().get("ID") instanceof String s) {
                    id = s;
                }
                if (o.quiet() && m.stream() != null && m.stream().startsWith("sha256:")) {
                    id = m.stream().strip();
                }
                messages.accept(m);
            }
        } catch (IOException e) {
            throw new WharfClientException("error reading the build output: " + e.getMessage(), e);
        }
        if (id == null) {
            throw new WharfClientException("the build ended without an image ID", null);
        }
        return new BuildResult(id);
    }

    /** {@code POST /build/prune}. */
    public BuildPruneResponse prune(boolean all) {
        return client.readJson(client.send("POST", Query.path("/build/prune").flag("all", all)),
                BuildPruneResponse.class);
    }
}
