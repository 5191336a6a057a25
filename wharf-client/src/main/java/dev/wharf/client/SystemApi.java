package dev.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.model.Json;
import dev.wharf.model.event.EventMessage;
import dev.wharf.model.system.VersionResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code /_ping}, {@code /version}, {@code /info} and {@code /events}. */
public final class SystemApi {

    private final WharfClient client;

    SystemApi(WharfClient client) {
        this.client = client;
    }

    /** What {@code /_ping} tells: the server's API version (null if it sent none) and OS type. */
    public record PingResult(String apiVersion, String osType, boolean experimental, String builderVersion) {
    }

    /** {@code HEAD /_ping} (unversioned), retried as GET when HEAD is not answered with 200 or 500. */
    public PingResult ping() {
        HttpResponse head = ping("HEAD");
        HttpResponse resp = head;
        if (head.status() != 200 && head.status() != 500) {
            WharfClient.discard(head);
            resp = ping("GET");
        }
        return pingResult(resp);
    }

    private static PingResult pingResult(HttpResponse resp) {
        try (resp) {
            if (resp.status() >= 400 && resp.header("Api-Version") == null) {
                throw WharfClient.toException(resp);
            }
            resp.body().transferTo(java.io.OutputStream.nullOutputStream());
            return new PingResult(resp.header("Api-Version"), resp.header("Ostype"),
                    "true".equalsIgnoreCase(resp.header("Docker-Experimental")), resp.header("Builder-Version"));
        } catch (IOException e) {
            throw new WharfClientException("error during connect: " + e.getMessage(), e);
        }
    }

    private HttpResponse ping(String method) {
        return client.connected(() -> client.transport().execute(HttpRequest.of(method, "/_ping")));
    }

    public VersionResponse version() {
        Map<String, Object> m = JsonTree.object(client.readTree(client.send("GET", "/version")));
        if (m == null) {
            throw new WharfClientException("cannot read the daemon's answer: not a JSON object");
        }
        List<Object> cs = JsonTree.list(m.get("Components"));
        List<VersionResponse.Component> components = null;
        if (cs != null) {
            components = new java.util.ArrayList<>();
            for (Object o : cs) {
                Map<String, Object> c = JsonTree.object(o);
                if (c != null) {
                    components.add(new VersionResponse.Component(JsonTree.string(c, "Name"),
                            JsonTree.string(c, "Version"), JsonTree.stringMap(c, "Details")));
                }
            }
        }
        return new VersionResponse(JsonTree.stringMap(m, "Platform"), components, JsonTree.string(m, "Version"),
                JsonTree.string(m, "ApiVersion"), JsonTree.string(m, "MinAPIVersion"), JsonTree.string(m, "GitCommit"),
                JsonTree.string(m, "GoVersion"), JsonTree.string(m, "Os"), JsonTree.string(m, "Arch"),
                JsonTree.string(m, "KernelVersion"), JsonTree.string(m, "BuildTime"));
    }

    /** {@code GET /info}, kept as a tree: its shape is wide and grows with every release. */
    public JsonNode info() {
        return client.readJson(client.send("GET", "/info"), JsonNode.class);
    }

    /** Options of {@code GET /events}; since/until as unix seconds (or Docker's time strings). */
    public record EventsOptions(String since, String until, Map<String, Set<String>> filters) {
        public static EventsOptions none() {
            return new EventsOptions(null, null, Map.of());
        }
    }

    /**
     * Streams events to the consumer until the daemon ends the stream (with {@code until}) or the
     * consumer throws.
     */
    public void events(EventsOptions opts, Consumer<EventMessage> consumer) {
        Query q = Query.path("/events").add("since", opts.since()).add("until", opts.until())
                .filters(opts.filters());
        HttpResponse resp = client.send("GET", q);
        try (resp; MappingIterator<EventMessage> it = Json.mapper().readerFor(EventMessage.class)
                .readValues(resp.body())) {
            while (it.hasNextValue()) {
                consumer.accept(it.nextValue());
            }
        } catch (IOException e) {
            throw new WharfClientException("error reading events: " + e.getMessage(), e);
        }
    }

    /** Convenience: all events of a closed time window. */
    public List<EventMessage> events(EventsOptions opts) {
        List<EventMessage> out = new java.util.ArrayList<>();
        events(opts, out::add);
        return out;
    }
}
