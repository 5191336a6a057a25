package dev.wharf.daemon.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.JsonLines;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.container.Stats;
import dev.wharf.engine.container.StatsCollector;
import dev.wharf.model.container.ContainerUpdateRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;

/**
 * Rename, update and stats.
 * <pre>
 *   POST /containers/{id}/rename?name     204; 400 empty, invalid or same name; 409 name taken
 *   POST /containers/{id}/update          {"Warnings":null}; 400 bad policy or limit (nothing changed)
 *   GET  /containers/{id}/stats?stream&one-shot   one JSON object per line about every second, or one
 * </pre>
 */
public final class ContainerChangeRoutes {

    /**
     * Where a wrongly-typed field is said to be in the refusal: the limits land in the HostConfig,
     * and the 400 names them as a create request's would.
     */
    private static final String UPDATE_GO_PATH = "CreateRequest.HostConfig";
    /** How long a stream waits for a frame before it looks again whether its client or container is gone. */
    private static final Duration FRAME_WAIT = Duration.ofSeconds(2);

    private final ContainerService containers;

    public ContainerChangeRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("POST", "/containers/{id}/rename", ex -> {
            containers.rename(ex.param("id"), ex.query("name"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/containers/{id}/update", ex -> {
            JsonNode body = ex.bodyJson(JsonNode.class);
            ContainerUpdateRequest req = body == null ? null
                    : ex.treeValue(body, ContainerUpdateRequest.class, UPDATE_GO_PATH);
            ex.respondJson(200, containers.update(ex.param("id"), req));
        });
        r.add("GET", "/containers/{id}/stats", this::stats);
    }

    private void stats(Exchange ex) throws Exception {
        boolean stream = ex.queryBool("stream", true);
        boolean oneShot = ex.queryBool("one-shot", false);
        if (!stream) {
            Stats s = containers.stats(ex.param("id"));
            Map<String, Object> first = s.sample();
            if (!oneShot && s.running()) {
                Thread.sleep(1000);
                first = s.sample();
            }
            ex.respondJson(200, first);
            return;
        }
        try (StatsCollector.Stream s = containers.statsStream(ex.param("id"));
                OutputStream out = ex.stream(200, "application/json")) {
            JsonLines lines = JsonLines.of(out);
            while (!ex.clientGone() && !s.gone()) {
                Map<String, Object> frame = s.next(FRAME_WAIT);
                if (frame != null) {
                    lines.send(frame);
                }
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        }
    }
}
