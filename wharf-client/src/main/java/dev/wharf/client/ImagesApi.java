package dev.wharf.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.model.image.DeleteItem;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.model.image.ImageSummary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code /images/...}: list, inspect, tag, remove, import. */
public final class ImagesApi {

    private final WharfClient client;

    ImagesApi(WharfClient client) {
        this.client = client;
    }

    public record ListOptions(boolean all, Map<String, Set<String>> filters) {
        public static ListOptions defaults() {
            return new ListOptions(false, Map.of());
        }
    }

    public List<ImageSummary> list(ListOptions opts) {
        Query q = Query.path("/images/json").flag("all", opts.all()).filters(opts.filters());
        List<Object> all = JsonTree.list(client.readTree(client.send("GET", q)));
        List<ImageSummary> out = new ArrayList<>(all == null ? 0 : all.size());
        for (Object o : all == null ? List.of() : all) {
            Map<String, Object> m = JsonTree.object(o);
            if (m != null) {
                out.add(new ImageSummary(JsonTree.number(m, "Containers"), JsonTree.number(m, "Created"),
                        JsonTree.string(m, "Id"), JsonTree.stringMap(m, "Labels"), JsonTree.string(m, "ParentId"),
                        JsonTree.strings(m, "RepoDigests"), JsonTree.strings(m, "RepoTags"),
                        JsonTree.number(m, "SharedSize"), JsonTree.number(m, "Size"),
                        JsonTree.boxedNumber(m, "VirtualSize")));
            }
        }
        return out;
    }

    public ImageInspect inspect(String name) {
        return client.readJson(client.send("GET", Query.path("/images/%s/json", name)), ImageInspect.class);
    }

    /** The inspect body exactly as the daemon sent it. */
    public byte[] inspectRaw(String name) {
        try {
            return client.send("GET", Query.path("/images/%s/json", name)).readAllBytes();
        } catch (IOException e) {
            throw new WharfClientException(e.getMessage(), e);
        }
    }

    public record TagResult() {
    }

    /** {@code POST /images/{source}/tag?repo=&tag=}. */
    public TagResult tag(String source, String repo, String tag) {
        WharfClient.discard(client.send("POST", Query.path("/images/%s/tag", source).add("repo", repo)
                .add("tag", tag)));
        return new TagResult();
    }

    public record RemoveOptions(boolean force, boolean noPrune) {
    }

    public List<DeleteItem> remove(String name, RemoveOptions opts) {
        Query q = Query.path("/images/%s", name).flag("force", opts.force()).flag("noprune", opts.noPrune());
        return client.readJson(client.send("DELETE", q), new TypeReference<List<DeleteItem>>() { });
    }

    /**
     * {@code source}: the tar to send ({@code fromSrc=-}), or null with {@code url} set.
     * {@code repo} may carry the tag ({@code repo:tag}), as the docker CLI sends it.
     */
    public record ImportOptions(String url, String repo, String tag, List<String> changes, String message,
            String platform) {
    }

    /**
     * {@code POST /images/create?fromSrc=-}: sends the tar chunked and passes each progress message
     * to the consumer. An {@code errorDetail} in the stream becomes an ApiException(500).
     */
    public void importImage(InputStream tar, ImportOptions opts, Consumer<ProgressMessage> progress) {
        Query q = Query.path("/images/create").add("fromSrc", tar != null ? "-" : opts.url())
                .add("repo", opts.repo()).add("tag", opts.tag()).add("message", opts.message())
                .add("platform", opts.platform());
        if (opts.changes() != null) {
            opts.changes().forEach(c -> q.add("changes", c));
        }
        HttpRequest req = HttpRequest.of("POST", q.toString());
        if (tar != null) {
            req = req.withBodyStream("application/x-tar", tar);
        }
        readProgress(client.send(req), progress);
    }

    static void readProgress(HttpResponse resp, Consumer<ProgressMessage> progress) {
        try (resp; MappingIterator<ProgressMessage> it = Json.mapper().readerFor(ProgressMessage.class)
                .readValues(resp.body())) {
            while (it.hasNextValue()) {
                ProgressMessage m = it.nextValue();
                if (m.errorDetail() != null || m.error() != null) {
                    throw new ApiException(500, m.errorDetail() != null && m.errorDetail().message() != null
                            ? m.errorDetail().message() : m.error());
                }
                progress.accept(m);
            }
        } catch (IOException e) {
            throw new WharfClientException("error reading progress: " + e.getMessage(), e);
        }
    }
}
