package dev.wharf.daemon.route;

import dev.wharf.daemon.http.Router;
import dev.wharf.engine.container.ContainerService;

/**
 * Container routes beyond the lifecycle core in {@link ContainerRoutes}.
 * <pre>
 *   POST /containers/{id}/pause         204; 409 not running or already paused
 *   POST /containers/{id}/unpause       204; 409 not paused
 *   GET  /containers/{id}/top?ps_args   {"Titles":[…],"Processes":[[…]]}; 409 not running
 * </pre>
 */
public final class ContainerControlRoutes {

    private final ContainerService containers;

    public ContainerControlRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("POST", "/containers/{id}/pause", ex -> {
            containers.pause(ex.param("id"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/containers/{id}/unpause", ex -> {
            containers.unpause(ex.param("id"));
            ex.respondEmpty(204);
        });
        r.add("GET", "/containers/{id}/top", ex -> ex.respondJson(200,
                containers.top(ex.param("id"), ex.query("ps_args"))));
    }
}
