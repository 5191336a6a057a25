package dev.wharf.daemon.route;

import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.JsonLines;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.container.Stats;
import dev.wharf.model.Json;
import java.io.IOException;
import java.io.OutputStream;
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
            @SuppressWarnings("unchecked")
            Map<String, Object> body = ex.bodyJson(Map.class);
            ex.respondJson(200, containers.update(ex.param("id"), body));
        });
        r.add("GET", "/containers/{id}/stats", this::stats);
    }

    private void stats(Exchange ex) throws Exception {
        Stats s = containers.stats(ex.param("id"));
        boolean stream = ex.queryBool("stream", true);
        boolean oneShot = ex.queryBool("one-shot", false);
        if (!stream) {
            Map<String, Object> first = s.sample();
            if (!oneShot && s.running()) {
                Thread.sleep(1000);
                first = s.sample();
            }
            ex.respondJson(200, first);
            return;
        }
        try (OutputStream out = ex.stream(200, "application/json")) {
            JsonLines lines = JsonLines.of(out);
            while (!ex.clientGone() && !s.gone()) {
                lines.send(s.sample());
                Thread.sleep(1000);
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        }
    }
}
