package dev.wharf.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.model.network.Network;
import dev.wharf.model.network.NetworkCreateRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /networks/...}: create, list, inspect, remove, connect, disconnect, prune. */
public final class NetworksApi {

    private final WharfClient client;

    NetworksApi(WharfClient client) {
        this.client = client;
    }

    public record CreateResult(@JsonProperty("Id") String id, @JsonProperty("Warning") String warning) {
    }

    public CreateResult create(NetworkCreateRequest req) {
        return client.readJson(client.send(client.jsonRequest("POST", "/networks/create", req)), CreateResult.class);
    }

    public List<Network> list(Map<String, Set<String>> filters) {
        List<Network> l = client.readJson(client.send("GET", Query.path("/networks").filters(filters)),
                new TypeReference<List<Network>>() { });
        return l == null ? List.of() : l;
    }

    public Network inspect(String idOrName) {
        return client.readJson(client.send("GET", Query.path("/networks/%s", idOrName)), Network.class);
    }

    /** The inspect body exactly as the daemon sent it. */
    public byte[] inspectRaw(String idOrName) {
        try {
            return client.send("GET", Query.path("/networks/%s", idOrName)).readAllBytes();
        } catch (java.io.IOException e) {
            throw new WharfClientException(e.getMessage(), e);
        }
    }

    public void remove(String idOrName) {
        WharfClient.discard(client.send("DELETE", Query.path("/networks/%s", idOrName)));
    }

    /** {@code EndpointConfig} of a connect: aliases and a static IPv4 address (both optional). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointConfig(@JsonProperty("Aliases") List<String> aliases,
            @JsonProperty("IPAMConfig") IpamConfig ipamConfig) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IpamConfig(@JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record ConnectBody(@JsonProperty("Container") String container,
            @JsonProperty("EndpointConfig") EndpointConfig endpointConfig) {
    }

    private record DisconnectBody(@JsonProperty("Container") String container, @JsonProperty("Force") boolean force) {
    }

    public void connect(String network, String container, EndpointConfig config) {
        WharfClient.discard(client.send(client.jsonRequest("POST", Query.path("/networks/%s/connect", network),
                new ConnectBody(container, config))));
    }

    public void disconnect(String network, String container, boolean force) {
        WharfClient.discard(client.send(client.jsonRequest("POST", Query.path("/networks/%s/disconnect", network),
                new DisconnectBody(container, force))));
    }

    public record PruneResult(@JsonProperty("NetworksDeleted") List<String> deleted) {
    }

    public PruneResult prune(Map<String, Set<String>> filters) {
        return client.readJson(client.send("POST", Query.path("/networks/prune").filters(filters)), PruneResult.class);
    }
}
