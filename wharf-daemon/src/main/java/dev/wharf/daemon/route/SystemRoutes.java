package dev.wharf.daemon.route;

import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.UnavailableException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.system.SystemService;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * System routes.
 * <pre>
 *   GET|HEAD /_ping            OK, with the version headers
 *   GET      /version          engine and API versions
 *   GET      /info             counts, drivers, host facts
 *   *        /swarm, /nodes, /services, /tasks, /secrets, /configs   503, as a node outside a swarm
 *   POST     /swarm/leave   503 "not part of a swarm", Docker's answer there
 *   GET      /plugins          []
 * </pre>
 */
public final class SystemRoutes {

    private static final String NOT_SWARM = "This node is not a swarm manager. Use \"docker swarm init\" or "
            + "\"docker swarm join\" to connect this node to swarm and try again.";

    private final SystemService system;

    public SystemRoutes(SystemService system) {
        this.system = system;
    }

    public void register(Router r) {
        r.add("GET", "/_ping", this::ping);
        r.add("HEAD", "/_ping", this::ping);
        r.add("GET", "/version", ex -> ex.respondJson(200, system.version()));
        r.add("GET", "/info", ex -> ex.respondJson(200, system.info()));
        r.add("GET", "/plugins", ex -> ex.respondJson(200, List.of()));
        r.add("GET", "/plugins/{name*}/json", ex -> {
            throw new NotFoundException("plugin \"" + ex.param("name") + "\" not found");
        });
        r.add("POST", "/swarm/leave", ex -> {
            throw new UnavailableException("This node is not part of a swarm");
        });
        for (String p : List.of("/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs")) {
            for (String m : List.of("GET", "POST", "DELETE")) {
                r.add(m, p, SystemRoutes::notSwarm);
                r.add(m, p + "/{rest*}", SystemRoutes::notSwarm);
            }
        }
    }

    private void ping(Exchange ex) {
        ex.header("Cache-Control", "no-cache, no-store, must-revalidate");
        ex.header("Pragma", "no-cache");
        ex.header("Builder-Version", "1");
        ex.header("Swarm", "inactive");
        ex.respond(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.US_ASCII));
    }

    private static void notSwarm(Exchange ex) {
        throw new UnavailableException(NOT_SWARM);
    }
}
