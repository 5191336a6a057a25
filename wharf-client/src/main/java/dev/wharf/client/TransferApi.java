package dev.wharf.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.model.container.ChangeItem;
import dev.wharf.model.container.ContainerPruneResponse;
import dev.wharf.model.image.HistoryItem;
import dev.wharf.model.image.ImagePruneResponse;
import dev.wharf.model.system.DiskUsage;
import java.io.IOException;
import dev.wharf.model.container.PathStat;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Moving images and files in and out: load, save, commit, export, history, diff, the archive
 * endpoints, prune and disk usage.
 */
public final class TransferApi {

    private final WharfClient client;

    private TransferApi(WharfClient client) {
        this.client = client;
    }

    public static TransferApi of(WharfClient client) {
        return new TransferApi(client);
    }

    /** {@code POST /images/load}: progress and "Loaded image" messages go to the consumer. */
    public void load(InputStream tar, boolean quiet, Consumer<ProgressMessage> progress) {
        HttpRequest req = HttpRequest.of("POST", Query.path("/images/load").flag("quiet", quiet).toString())
                .withBodyStream("application/x-tar", tar);
        ImagesApi.readProgress(client.send(req), progress);
    }

    /** {@code GET /images/get?names=}: the tar; close the response when done. */
    public HttpResponse save(List<String> names) {
        Query q = Query.path("/images/get");
        names.forEach(n -> q.add("names", n));
        return client.send("GET", q);
    }

    public record CommitOptions(String repo, String tag, String comment, String author, List<String> changes,
            boolean pause) {
    }

    /** {@code POST /commit}; returns the new image's ID. */
    public String commit(String container, CommitOptions o) {
        Query q = Query.path("/commit").add("container", container).add("repo", o.repo()).add("tag", o.tag())
                .add("comment", o.comment()).add("author", o.author()).add("pause", o.pause() ? "1" : "0");
        if (o.changes() != null) {
            o.changes().forEach(c -> q.add("changes", c));
        }
        Map<String, String> r = client.readJson(client.send(client.jsonRequest("POST", q, Map.of())),
                new TypeReference<Map<String, String>>() { });
        return r.get("Id");
    }

    /** {@code GET /containers/{id}/export}: the tar; close the response when done. */
    public HttpResponse export(String container) {
        return client.send("GET", Query.path("/containers/%s/export", container));
    }

    public List<HistoryItem> history(String image) {
        return client.readJson(client.send("GET", Query.path("/images/%s/history", image)),
                new TypeReference<List<HistoryItem>>() { });
    }

    public List<ChangeItem> changes(String container) {
        List<ChangeItem> l = client.readJson(client.send("GET", Query.path("/containers/%s/changes", container)),
                new TypeReference<List<ChangeItem>>() { });
        return l == null ? List.of() : l;
    }

    /** {@code GET /containers/{id}/archive?path=}: the tar; close the response when done. */
    public HttpResponse archive(String container, String path) {
        return client.send("GET", Query.path("/containers/%s/archive", container).add("path", path));
    }

    /** {@code PUT /containers/{id}/archive?path=}: extracts {@code tar} into the directory {@code path}. */
    public void extract(String container, String path, InputStream tar, boolean noOverwriteDirNonDir) {
        extract(container, path, tar, noOverwriteDirNonDir, false);
    }

    /** As {@link #extract(String, String, InputStream, boolean)}; {@code copyUIDGID} keeps the tar's owners. */
    public void extract(String container, String path, InputStream tar, boolean noOverwriteDirNonDir,
            boolean copyUIDGID) {
        HttpRequest req = HttpRequest.of("PUT", Query.path("/containers/%s/archive", container).add("path", path)
                .flag("noOverwriteDirNonDir", noOverwriteDirNonDir).flag("copyUIDGID", copyUIDGID).toString())
                .withBodyStream("application/x-tar", tar);
        WharfClient.discard(client.send(req));
    }

    /**
     * {@code HEAD /containers/{id}/archive?path=}: the path's stat, or empty when it does not exist
     * (other errors are thrown).
     */
    public java.util.Optional<PathStat> stat(String container, String path) {
        try (HttpResponse r = client.send("HEAD", Query.path("/containers/%s/archive", container).add("path", path))) {
            String h = r.header("X-Docker-Container-Path-Stat");
            if (h == null || h.isEmpty()) {
                throw new IllegalStateException("the daemon sent no X-Docker-Container-Path-Stat header");
            }
            return java.util.Optional.of(dev.wharf.model.Json.mapper().readValue(
                    java.util.Base64.getDecoder().decode(h), PathStat.class));
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return java.util.Optional.empty();
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code GET /containers/{id}/archive?path=}'s stat header of an open response. */
    public static PathStat statOf(HttpResponse r) {
        String h = r.header("X-Docker-Container-Path-Stat");
        try {
            return h == null || h.isEmpty() ? null : dev.wharf.model.Json.mapper().readValue(
                    java.util.Base64.getDecoder().decode(h), PathStat.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public ContainerPruneResponse pruneContainers(Map<String, Set<String>> filters) {
        return client.readJson(client.send("POST", Query.path("/containers/prune").filters(filters)),
                ContainerPruneResponse.class);
    }

    public ImagePruneResponse pruneImages(Map<String, Set<String>> filters) {
        return client.readJson(client.send("POST", Query.path("/images/prune").filters(filters)),
                ImagePruneResponse.class);
    }

    public DiskUsage diskUsage() {
        return client.readJson(client.send("GET", Query.path("/system/df")), DiskUsage.class);
    }

    static void close(HttpResponse r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
