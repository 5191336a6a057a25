package dev.wharf.engine.image;

import dev.wharf.base.id.Digest;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.image.DeleteItem;
import dev.wharf.model.image.ImagePruneResponse;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker image prune}: removes images no container uses, only untagged ones unless
 * {@code dangling=false} ({@code -a}); filters {@code until}, {@code label} and {@code label!}.
 * Images that are the parent of another image are kept, as in moby.
 */
final class ImagePruner {

    private final ImageService service;
    private final ImageTable images;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;

    ImagePruner(ImageService service, ImageTable images, BlobStore blobs, LayerStore layers, EventService events) {
        this.service = service;
        this.images = images;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
    }

    /**
     * Prunes until nothing more goes: removing an untagged image can leave its untagged parent
     * (a build step) without children, and moby removes such parents with the image.
     */
    ImagePruneResponse prune(Filters f) throws IOException {
        List<DeleteItem> all = new ArrayList<>();
        long freed = 0;
        while (true) {
            ImagePruneResponse r = pruneOnce(f);
            if (r.imagesDeleted() == null || r.imagesDeleted().isEmpty()) {
                break;
            }
            all.addAll(r.imagesDeleted());
            freed += r.spaceReclaimed();
        }
        return new ImagePruneResponse(all.isEmpty() ? null : all, freed);
    }

    private ImagePruneResponse pruneOnce(Filters f) throws IOException {
        f.only(Set.of("dangling", "until", "label", "label!"));
        boolean danglingOnly = true;
        for (String d : f.get("dangling")) {
            danglingOnly = !(d.equalsIgnoreCase("false") || d.equals("0"));
        }
        Instant until = f.has("until") ? Times.parseTimestamp(f.get("until").getFirst()) : null;
        List<ImageRow> all = images.list();
        Set<Digest> parents = new HashSet<>();
        for (ImageRow row : all) {
            if (row.parent() != null) {
                parents.add(row.parent());
            }
        }
        List<DeleteItem> out = new ArrayList<>();
        for (ImageRow row : all) {
            if (danglingOnly && !row.tags().isEmpty() || parents.contains(row.id())
                    || images.containersUsing(row.id(), false) > 0) {
                continue;
            }
            if (until != null && row.created() >= until.getEpochSecond()) {
                continue;
            }
            ImageConfig cfg = service.config(row.id());
            Map<String, String> labels = cfg.config() == null || cfg.config().labels() == null ? Map.of()
                    : cfg.config().labels();
            if (!f.labelsMatch(labels) || negatedLabelMatches(f.get("label!"), labels)) {
                continue;
            }
            for (String t : row.tags()) {
                images.untag(t);
                out.add(DeleteItem.untagged(t));
                events.publish("image", "untag", row.id().toString(), Map.of("name", t));
            }
            images.delete(row.id());
            blobs.delete(row.id());
            out.add(DeleteItem.deleted(row.id().toString()));
            events.publish("image", "delete", row.id().toString(), Map.of("name", row.id().toString()));
        }
        long freed = out.isEmpty() ? 0 : layers.collect() + service.collectBlobs();
        if (!out.isEmpty()) {
            events.publish("image", "prune", "", Map.of("reclaimed", String.valueOf(freed)));
        }
        return new ImagePruneResponse(out.isEmpty() ? null : out, freed);
    }

    private static boolean negatedLabelMatches(List<String> negated, Map<String, String> labels) {
        for (String l : negated) {
            int eq = l.indexOf('=');
            String k = eq < 0 ? l : l.substring(0, eq);
            if (labels.containsKey(k) && (eq < 0 || labels.get(k).equals(l.substring(eq + 1)))) {
                return true;
            }
        }
        return false;
    }
}
