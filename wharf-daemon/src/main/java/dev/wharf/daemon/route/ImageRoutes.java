package dev.wharf.daemon.route;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.JsonLines;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Image routes.
 * <pre>
 *   GET    /images/json?all&filters           list
 *   POST   /images/create?fromSrc=-&repo&tag&changes&message   import a rootfs tar (progress stream)
 *   POST   /images/create?fromImage&tag&platform  pull (DistributionRoutes)
 *   GET    /images/{name}/json                inspect
 *   POST   /images/{name}/tag?repo&tag        tag (201)
 *   DELETE /images/{name}?force&noprune       remove
 *   POST   /images/load?quiet                 docker-archive or OCI layout tar in, progress stream out
 *   GET    /images/get?names, /images/{name}/get   save as a tar (OCI layout plus manifest.json)
 *   GET    /images/{name}/history             history, newest first
 *   POST   /images/prune?filters              remove unused images
 * </pre>
 */
public final class ImageRoutes {

    private final ImageService images;
    private final DistributionRoutes distribution;

    public ImageRoutes(ImageService images) {
        this.images = images;
        this.distribution = new DistributionRoutes(images);
    }

    public void register(Router r) {
        r.add("GET", "/images/json", ex -> ex.respondJson(200, images.list(ex.queryBool("all", false),
                Filters.parse(ex.query("filters")), ex.version().atLeast(1, 43))));
        r.add("POST", "/images/create", this::create);
        distribution.register(r);
        r.add("GET", "/images/{name*}/json", ex -> {
            ImageInspect i = images.inspect(ex.param("name"), ex.version().atLeast(1, 44));
            // Docker sends Container and ContainerConfig below API 1.45 (docker-compose 1.29 reads them).
            ex.respondJson(200, ex.version().atLeast(1, 45) ? i.withoutPre145Fields() : i);
        });
        r.add("POST", "/images/{name*}/tag", ex -> {
            images.tag(ex.param("name"), ex.query("repo"), ex.query("tag"));
            ex.respondEmpty(201);
        });
        r.add("POST", "/images/load", this::load);
        r.add("GET", "/images/get", ex -> save(ex, ex.queryAll("names")));
        r.add("GET", "/images/{name*}/get", ex -> save(ex, List.of(ex.param("name"))));
        r.add("GET", "/images/{name*}/history", ex -> ex.respondJson(200, images.history(ex.param("name"))));
        r.add("POST", "/images/prune", ex -> ex.respondJson(200,
                images.prune(Filters.parse(ex.query("filters")))));
        r.add("DELETE", "/images/{name*}", ex -> ex.respondJson(200,
                images.remove(ex.param("name"), ex.queryBool("force", false), ex.queryBool("noprune", false))));
    }

    private void create(Exchange ex) throws IOException {
        String src = ex.query("fromSrc");
        if (src == null || src.isEmpty()) {
            String from = ex.query("fromImage");
            if (from == null || from.isEmpty()) {
                throw new InvalidArgumentException("fromImage or fromSrc is required");
            }
            distribution.pull(ex, from);
            return;
        }
        if (!src.equals("-")) {
            throw new InvalidArgumentException("importing from a URL is not supported; send the tar as the body");
        }
        List<String> changes = new ArrayList<>(ex.queryAll("changes"));
        List<ProgressMessage> buffered = new ArrayList<>();
        try {
            images.importImage(ex.body(), ex.query("repo"), ex.query("tag"), changes, ex.query("message"),
                    buffered::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try (OutputStream out = ex.stream(200, "application/json")) {
            JsonLines lines = JsonLines.progress(out);
            for (ProgressMessage m : buffered) {
                lines.send(m);
            }
        }
    }

    /**
     * Reads and checks the whole archive before anything is stored, so bad input changes nothing.
     * As Docker's, the answer is 200 and a failure is the stream's error message.
     */
    private void load(Exchange ex) throws IOException {
        boolean quiet = ex.queryBool("quiet", false);
        ImageService.PreparedLoad load;
        try {
            load = images.prepareLoad(ex.body());
            ex.body().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            ex.body().transferTo(OutputStream.nullOutputStream());
            try (OutputStream out = ex.stream(200, "application/json")) {
                JsonLines.progress(out).send(failure(e));
            }
            return;
        }
        try (load; OutputStream out = ex.stream(200, "application/json")) {
            JsonLines lines = JsonLines.progress(out);
            try {
                load.apply(quiet, lines::sendUnchecked);
            } catch (IOException | RuntimeException e) {
                lines.send(failure(e));
            }
        }
    }

    private static ProgressMessage failure(Exception e) {
        return ProgressMessage.failure(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    private void save(Exchange ex, List<String> names) throws IOException {
        ImageService.PreparedSave save = images.prepareSave(names);
        try (OutputStream out = ex.stream(200, "application/x-tar")) {
            java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 20);
            save.writeTo(buffered);
            buffered.flush();
        }
    }
}
