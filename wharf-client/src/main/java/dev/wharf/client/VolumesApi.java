package dev.wharf.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.model.volume.Volume;
import dev.wharf.model.volume.VolumeCreateRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /volumes/...}: create, list, inspect, remove, prune. */
public final class VolumesApi {

    private final WharfClient client;

    VolumesApi(WharfClient client) {
        this.client = client;
    }

    public Volume create(VolumeCreateRequest req) {
        return client.readJson(client.send(client.jsonRequest("POST", "/volumes/create", req)), Volume.class);
    }

    public record ListResult(List<Volume> volumes, List<String> warnings) {
    }

    private record ListBody(@com.fasterxml.jackson.annotation.JsonProperty("Volumes") List<Volume> volumes,
            @com.fasterxml.jackson.annotation.JsonProperty("Warnings") List<String> warnings) {
    }

    public ListResult list(Map<String, Set<String>> filters) {
        ListBody b = client.readJson(client.send("GET", Query.path("/volumes").filters(filters)), ListBody.class);
        return new ListResult(b.volumes() == null ? List.of() : b.volumes(), b.warnings());
    }

    public Volume inspect(String name) {
        return client.readJson(client.send("GET", Query.path("/volumes/%s", name)), Volume.class);
    }

    /** The inspect body exactly as the daemon sent it. */
    public byte[] inspectRaw(String name) {
        try {
            return client.send("GET", Query.path("/volumes/%s", name)).readAllBytes();
        } catch (java.io.IOException e) {
            throw new WharfClientException(e.getMessage(), e);
        }
    }

    public record RemoveResult() {
    }

    public RemoveResult remove(String name, boolean force) {
        WharfClient.discard(client.send("DELETE", Query.path("/volumes/%s", name).flag("force", force)));
        return new RemoveResult();
    }

    public record PruneResult(@com.fasterxml.jackson.annotation.JsonProperty("VolumesDeleted") List<String> deleted,
            @com.fasterxml.jackson.annotation.JsonProperty("SpaceReclaimed") long spaceReclaimed) {
    }

    public PruneResult prune(Map<String, Set<String>> filters) {
        return client.readJson(client.send("POST", Query.path("/volumes/prune").filters(filters)),
                new TypeReference<PruneResult>() { });
    }
}
