package dev.wharf.daemon.route;

import dev.wharf.base.error.NotFoundException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.container.ContainerFiles;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.PathStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A container's files.
 * <pre>
 *   HEAD /containers/{id}/archive?path       stat, in X-Docker-Container-Path-Stat
 *   GET  /containers/{id}/archive?path       the path as a tar (docker cp ctr:path)
 *   PUT  /containers/{id}/archive?path&noOverwriteDirNonDir&copyUIDGID   extract a tar into a directory
 *   GET  /containers/{id}/export             the whole root file system as a tar
 *   GET  /containers/{id}/changes            [{"Path","Kind"}], Kind 0 modified, 1 added, 2 deleted
 *   POST /commit?container&repo&tag&comment&author&changes&pause   201 {"Id"} (pause defaults to true)
 *   POST /containers/prune?filters           {"ContainersDeleted","SpaceReclaimed"}
 * </pre>
 */
public final class ContainerFileRoutes {

    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerFiles files;

    public ContainerFileRoutes(ContainerFiles files) {
        this.files = files;
    }

    public void register(Router r) {
        r.add("HEAD", "/containers/{id}/archive", ex -> {
            ex.header(STAT_HEADER, encode(files.stat(ex.param("id"), ex.query("path"))));
            ex.respond(200, "application/json", new byte[0]);
        });
        r.add("GET", "/containers/{id}/archive", ex -> files.get(ex.param("id"), ex.query("path"), st -> {
            ex.header(STAT_HEADER, encode(st));
            return ex.stream(200, "application/x-tar");
        }));
        r.add("PUT", "/containers/{id}/archive", ex -> {
            InputStream body = ex.body();
            files.put(ex.param("id"), ex.query("path"), body, ex.queryBool("noOverwriteDirNonDir", false),
                    ex.queryBool("copyUIDGID", false));
            body.transferTo(OutputStream.nullOutputStream());
            ex.respondEmpty(200);
        });
        r.add("GET", "/containers/{id}/export", ex -> files.export(ex.param("id"),
                () -> ex.stream(200, "application/x-tar")));
        r.add("GET", "/containers/{id}/changes", ex -> ex.respondJson(200, files.changes(ex.param("id"))));
        r.add("POST", "/commit", this::commit);
        r.add("POST", "/containers/prune", ex -> ex.respondJson(200,
                files.prune(Filters.parse(ex.query("filters")))));
    }

    private void commit(Exchange ex) throws IOException {
        ContainerConfig config = ex.bodyJson(ContainerConfig.class); // docker-py's conf=, merged as moby does
        String container = ex.query("container");
        if (container == null || container.isEmpty()) {
            throw new NotFoundException("No such container: ");
        }
        List<String> changes = ex.queryAll("changes");
        String id = files.commit(container, ex.query("repo"), ex.query("tag"), ex.query("comment"),
                ex.query("author"), config, changes, ex.queryBool("pause", true));
        ex.respondJson(201, Map.of("Id", id));
    }

    static String encode(PathStat st) throws IOException {
        return Base64.getEncoder().encodeToString(Json.mapper().writeValueAsBytes(st));
    }
}
