package dev.wharf.daemon.route;

import dev.wharf.daemon.http.Router;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.volume.VolumeCreateRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Volume routes.
 * <pre>
 *   GET    /volumes?filters          {"Volumes":[…],"Warnings":null}
 *   POST   /volumes/create           201 with the volume
 *   GET    /volumes/{name}           inspect
 *   DELETE /volumes/{name}?force     204; 409 while in use
 *   POST   /volumes/prune?filters    {"VolumesDeleted":[…],"SpaceReclaimed":n}
 * </pre>
 */
public final class VolumeRoutes {

    private final VolumeService volumes;
    private final ContainerService containers;

    public VolumeRoutes(VolumeService volumes, ContainerService containers) {
        this.volumes = volumes;
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("GET", "/volumes", ex -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Volumes", volumes.list(Filters.parse(ex.query("filters"))));
            body.put("Warnings", null);
            ex.respondJson(200, body);
        });
        r.add("POST", "/volumes/create", ex -> {
            VolumeCreateRequest req = ex.bodyJson(VolumeCreateRequest.class);
            if (req == null) {
                req = new VolumeCreateRequest(null, null, null, null);
            }
            ex.respondJson(201, volumes.create(req.name(), req.driver(), req.driverOpts(), req.labels()));
        });
        r.add("GET", "/volumes/{name}", ex -> ex.respondJson(200, volumes.inspect(ex.param("name"))));
        r.add("DELETE", "/volumes/{name}", ex -> {
            volumes.remove(ex.param("name"), ex.queryBool("force", false));
            ex.respondEmpty(204);
        });
        r.add("POST", "/volumes/prune", ex -> {
            Filters f = Filters.parse(ex.query("filters"));
            if (!ex.version().atLeast(1, 42)) {
                Map<String, java.util.List<String>> v = new LinkedHashMap<>(f.values());
                v.put("all", java.util.List.of("true"));
                f = new Filters(v);
            }
            ex.respondJson(200, volumes.prune(f));
        });
    }
}
