package dev.wharf.engine.system;

import dev.wharf.engine.common.Filters;
import dev.wharf.engine.container.ContainerFiles;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.image.ImageSummary;
import dev.wharf.model.system.DiskUsage;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code docker system df}: each layer counted once in {@code LayersSize}; per image its size, the
 * part it shares with other images ({@code SharedSize}) and how many containers use it; per
 * container its writable layer. The CLI derives "reclaimable" from these, so they must add up.
 */
public final class DiskUsageService {

    private final ImageService images;
    private final ContainerFiles containers;
    private final Supplier<List<?>> volumes;

    public DiskUsageService(ImageService images, ContainerFiles containers, Supplier<List<?>> volumes) {
        this.images = images;
        this.containers = containers;
        this.volumes = volumes;
    }

    public DiskUsage usage() throws IOException {
        List<ImageRow> rows = images.rows();
        Map<String, Integer> refs = new HashMap<>();
        for (ImageRow r : rows) {
            r.chainIds().stream().distinct().forEach(c -> refs.merge(c, 1, Integer::sum));
        }
        long layersSize = 0;
        Map<String, Long> sizes = new HashMap<>();
        for (String chain : refs.keySet()) {
            long s = images.layerSize(chain);
            sizes.put(chain, s);
            layersSize += s;
        }
        Map<String, Long> shared = new HashMap<>();
        for (ImageRow r : rows) {
            shared.put(r.id().toString(), r.chainIds().stream().distinct().filter(c -> refs.get(c) > 1)
                    .mapToLong(sizes::get).sum());
        }
        List<ImageSummary> out = new ArrayList<>();
        for (ImageSummary s : images.list(true, Filters.NONE, true)) {
            out.add(new ImageSummary(s.containers(), s.created(), s.id(), s.labels(), s.parentId(),
                    s.repoDigests(), s.repoTags(), shared.getOrDefault(s.id(), 0L), s.size(), null));
        }
        return new DiskUsage(layersSize, out, containers.withSizes(), new ArrayList<>(volumes.get()), List.of());
    }
}
