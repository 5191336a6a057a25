package dev.wharf.daemon.route;

import dev.wharf.daemon.http.Router;
import dev.wharf.engine.system.DiskUsageService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Disk usage.
 * <pre>
 *   GET  /system/df        LayersSize, Images, Containers, Volumes, BuildCache
 *   POST /build/prune      nothing to prune: the classic builder keeps no cache apart from images
 * </pre>
 */
public final class DiskRoutes {

    private final DiskUsageService usage;

    public DiskRoutes(DiskUsageService usage) {
        this.usage = usage;
    }

    public void register(Router r) {
        r.add("GET", "/system/df", ex -> ex.respondJson(200, usage.usage()));
        r.add("POST", "/build/prune", ex -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("CachesDeleted", List.of());
            m.put("SpaceReclaimed", 0);
            ex.respondJson(200, m);
        });
    }
}
