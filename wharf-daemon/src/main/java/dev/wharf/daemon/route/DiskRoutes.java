package dev.wharf.daemon.route;

import dev.wharf.daemon.http.Router;
import dev.wharf.engine.system.DiskUsageService;

/**
 * Disk usage.
 * <pre>
 *   GET  /system/df        LayersSize, Images, Containers, Volumes, BuildCache
 * ({@code POST /build/prune} is in {@link BuildRoutes}.)
 * </pre>
 */
public final class DiskRoutes {

    private final DiskUsageService usage;

    public DiskRoutes(DiskUsageService usage) {
        this.usage = usage;
    }

    public void register(Router r) {
        r.add("GET", "/system/df", ex -> ex.respondJson(200, usage.usage()));
    }
}
