package dev.wharf.daemon.route;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.daemon.http.Exchange;
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
 *   POST   /images/create?fromImage&tag       pull (not available yet: 404 before streaming)
 *   GET    /images/{name}/json                inspect
 *   POST   /images/{name}/tag?repo&tag        tag (201)
 *   DELETE /images/{name}?force&noprune       remove
 * </pre>
 */
public final class ImageRoutes {

    private final ImageService images;

    public ImageRoutes(ImageService images) {
        this.images = images;
    }

    public void register(Router r) {
        r.add("GET", "/images/json", ex -> ex.respondJson(200, images.list(ex.queryBool("all", false),
                Filters.parse(ex.query("filters")), ex.version().atLeast(1, 43))));
        r.add("POST", "/images/create", this::create);
        r.add("GET", "/images/{name*}/json", ex -> ex.respondJson(200,
                images.inspect(ex.param("name"), ex.version().atLeast(1, 44))));
        r.add("POST", "/images/{name*}/tag", ex -> {
            images.tag(ex.param("name"), ex.query("repo"), ex.query("tag"));
            ex.respondEmpty(201);
        });
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
            String tag = ex.query("tag");
            String ref = tag == null || tag.isEmpty() ? from : from + ":" + tag;
            throw new NotFoundException("pull access denied for " + from
                    + ": this Wharf cannot reach registries yet; import or load " + ref + " instead");
        }
        if (!src.equals("-")) {
            throw new InvalidArgumentException("importing from a URL is not supported; send the tar as the body");
        }
        List<String> changes = new ArrayList<>(ex.queryAll("changes"));
        List<ProgressMessage> buffered = new ArrayList<>();
        String id;
        try {
            id = images.importImage(ex.body(), ex.query("repo"), ex.query("tag"), changes, ex.query("message"),
                    buffered::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try (OutputStream out = ex.stream(200, "application/json")) {
            for (ProgressMessage m : buffered) {
                out.write(Json.mapper().writeValueAsBytes(m));
                out.write("\r\n".getBytes());
            }
        }
    }
}
