package dev.wharf.engine.image;

import dev.wharf.base.id.Digest;
import dev.wharf.model.image.HistoryItem;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code docker history}: the config's history, newest first, each step with the size of the
 * layer it made (0 for an empty layer). As in moby, the entries that belong to a local parent
 * image (a commit's base) carry that image's ID and tags; older ones show {@code <missing>}.
 */
final class ImageHistory {

    private final ImageService service;
    private final ImageTable images;
    private final LayerStore layers;

    ImageHistory(ImageService service, ImageTable images, LayerStore layers) {
        this.service = service;
        this.images = images;
        this.layers = layers;
    }

    List<HistoryItem> history(String name) {
        ImageService.Resolved r = service.resolve(name);
        ImageConfig cfg = r.config();
        List<ImageConfig.History> steps = cfg.history() == null ? List.of() : cfg.history();
        List<String> chains = r.chainIds();
        List<HistoryItem> out = new ArrayList<>();
        int layer = 0;
        for (ImageConfig.History h : steps) {
            boolean empty = Boolean.TRUE.equals(h.emptyLayer());
            long size = 0;
            if (!empty && layer < chains.size()) {
                size = layers.get(chains.get(layer)).map(LayerStore.Layer::size).orElse(0L);
                layer++;
            }
            out.add(new HistoryItem("<missing>", epoch(h.created()), nz(h.createdBy()), null, size, nz(h.comment())));
        }
        for (; layer < chains.size(); layer++) { // layers the history does not describe
            long size = layers.get(chains.get(layer)).map(LayerStore.Layer::size).orElse(0L);
            out.add(new HistoryItem("<missing>", epoch(cfg.created()), "", null, size, ""));
        }
        Collections.reverse(out);
        Digest id = r.id();
        for (int depth = 0; id != null && depth < 1000; depth++) {
            ImageRow row = images.get(id).orElse(null);
            if (row == null) {
                break;
            }
            ImageConfig c = service.config(id);
            int n = Math.max(c.history() == null ? 0 : c.history().size(), row.chainIds().size());
            int at = out.size() - n;
            if (at >= 0 && at < out.size()) {
                HistoryItem h = out.get(at);
                out.set(at, new HistoryItem(id.toString(), h.created(), h.createdBy(), row.tags(), h.size(),
                        h.comment()));
            }
            id = row.parent();
        }
        return out;
    }

    private static long epoch(String t) {
        try {
            return t == null ? 0 : OffsetDateTime.parse(t).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
