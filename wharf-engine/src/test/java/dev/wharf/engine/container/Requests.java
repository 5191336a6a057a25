package dev.wharf.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.util.Map;

/** Create requests written as a client sends them: the JSON body of {@code POST /containers/create}. */
final class Requests {

    private Requests() {
    }

    /** Splits a create body into its parts as the route does (single quotes stand for double ones). */
    @SuppressWarnings("unchecked")
    static ContainerCreateRequest create(String json) {
        try {
            ObjectNode body = (ObjectNode) Json.mapper().readTree(json.replace('\'', '"'));
            JsonNode hc = body.remove("HostConfig");
            JsonNode nc = body.remove("NetworkingConfig");
            ContainerConfig cfg = Json.mapper().treeToValue(body, ContainerConfig.class);
            HostConfig host = hc == null ? null : Json.mapper().treeToValue(hc, HostConfig.class);
            Map<String, Object> net = nc == null ? null : Json.mapper().treeToValue(nc, Map.class);
            return new ContainerCreateRequest(cfg, host, net);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
