package dev.wharf.daemon.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.network.EndpointSettings;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.model.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Network routes.
 * <pre>
 *   GET    /networks?filters              list
 *   GET    /networks/{id}                 inspect (name, ID or unique ID prefix)
 *   POST   /networks/create               create: 201 {"Id","Warning"}; 409 duplicate name
 *   DELETE /networks/{id}                 remove: 204; 403 while containers use it
 *   POST   /networks/{id}/connect         {"Container","EndpointConfig"}
 *   POST   /networks/{id}/disconnect      {"Container","Force"}
 *   POST   /networks/prune?filters        {"NetworksDeleted":[…]}
 * </pre>
 */
public final class NetworkRoutes {

    private final NetworkService networks;
    private final ContainerService containers;

    public NetworkRoutes(NetworkService networks, ContainerService containers) {
        this.networks = networks;
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("GET", "/networks", ex -> ex.respondJson(200, networks.list(Filters.parse(ex.query("filters")))));
        r.add("POST", "/networks/create", this::create);
        r.add("POST", "/networks/prune", ex -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("NetworksDeleted", networks.prune(Filters.parse(ex.query("filters"))));
            ex.respondJson(200, out);
        });
        r.add("GET", "/networks/{id}", ex -> ex.respondJson(200, networks.inspect(ex.param("id"))));
        r.add("DELETE", "/networks/{id}", ex -> {
            networks.remove(ex.param("id"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/networks/{id}/connect", ex -> {
            JsonNode b = body(ex);
            EndpointSettings epc = EndpointSettings.of(b.hasNonNull("EndpointConfig")
                    ? Json.mapper().convertValue(b.get("EndpointConfig"), Map.class) : null);
            containers.connectNetwork(ex.param("id"), container(b), epc);
            ex.respondEmpty(200);
        });
        r.add("POST", "/networks/{id}/disconnect", ex -> {
            containers.disconnectNetwork(ex.param("id"), container(body(ex)));
            ex.respondEmpty(200);
        });
    }

    private void create(Exchange ex) {
        JsonNode b = body(ex);
        String name = b.path("Name").asText("");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("network name is required");
        }
        String subnet = null;
        String gateway = null;
        String ipRange = null;
        String subnet6 = null;
        String gateway6 = null;
        String ipRange6 = null;
        Map<String, String> aux = null;
        Map<String, String> aux6 = null;
        int v4 = 0;
        int v6 = 0;
        for (JsonNode c : b.path("IPAM").path("Config")) {
            String s = c.path("Subnet").asText("");
            String g = c.path("Gateway").asText("");
            String range = c.path("IPRange").asText("");
            Map<String, String> auxiliary = strings(c.path("AuxiliaryAddresses"));
            if (s.contains(":") || (s.isEmpty() && g.contains(":"))) {
                if (++v6 > 1) {
                    throw new InvalidArgumentException("only one IPv6 subnet per network is supported");
                }
                subnet6 = s.isEmpty() ? null : s;
                gateway6 = g.isEmpty() ? null : g;
                ipRange6 = range.isEmpty() ? null : range;
                aux6 = auxiliary;
                continue;
            }
            if (++v4 > 1) {
                throw new InvalidArgumentException("only one IPv4 subnet per network is supported");
            }
            subnet = s.isEmpty() ? null : s;
            gateway = g.isEmpty() ? null : g;
            ipRange = range.isEmpty() ? null : range;
            aux = auxiliary;
        }
        String ipamDriver = b.path("IPAM").path("Driver").asText("");
        if (!ipamDriver.isEmpty() && !ipamDriver.equals("default")) {
            throw new InvalidArgumentException("IPAM driver \"" + ipamDriver + "\" is not supported");
        }
        String id = networks.create(new NetworkService.CreateRequest(name, b.path("Driver").asText(""),
                b.path("Internal").asBoolean(false), b.path("Attachable").asBoolean(false),
                b.path("EnableIPv6").asBoolean(false), subnet, gateway, ipRange, strings(b.path("Options")),
                strings(b.path("Labels")), b.path("IPAM").path("Options").isObject()
                        ? strings(b.path("IPAM").path("Options")) : null, subnet6, gateway6, ipRange6, aux, aux6));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", id);
        out.put("Warning", "");
        ex.respondJson(201, out);
    }

    private static JsonNode body(Exchange ex) {
        JsonNode b = ex.bodyJson(JsonNode.class);
        if (b == null || !b.isObject()) {
            throw new InvalidArgumentException("request body must be a JSON object");
        }
        return b;
    }

    private static String container(JsonNode b) {
        String c = b.path("Container").asText("");
        if (c.isEmpty()) {
            throw new InvalidArgumentException("no container given");
        }
        return c;
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }
}
