package dev.wharf.engine.build;

import dev.wharf.base.id.Digest;
import dev.wharf.builder.dispatch.ImageState;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.Json;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the image of one build step: the parent's config with the step's run config and one more
 * history line, and the parent's layers plus the step's (if it changed files). Its parent is the
 * previous step's image, so {@code docker history} shows every step and {@code images -a} lists
 * them as intermediate images. The layer is registered, the config blob written, and the image row
 * inserted under one layer pin, so a collection never sees the layer unreferenced.
 */
final class StepImages {

    private final ImageService images;
    private final ImageTable table;
    private final BlobStore blobs;
    private final LayerStore layers;

    StepImages(ImageService images, ImageTable table, BlobStore blobs, LayerStore layers) {
        this.images = images;
        this.table = table;
        this.blobs = blobs;
        this.layers = layers;
    }

    List<String> chains(Digest imageId) {
        if (imageId == null) {
            return List.of();
        }
        return table.get(imageId).map(ImageRow::chainIds).orElseThrow(
                () -> new dev.wharf.base.error.NotFoundException("No such image: " + imageId));
    }

    Digest commit(Digest parentId, ImageState state, String createdBy, StagedLayer layer) throws IOException {
        ImageConfig base = parentId == null ? null : images.config(parentId);
        ImageRow parentRow = parentId == null ? null : table.get(parentId).orElseThrow();
        Instant now = Instant.now();
        String created = Times.rfc3339(now);
        List<String> chains = new ArrayList<>(parentRow == null ? List.of() : parentRow.chainIds());
        List<String> diffIds = new ArrayList<>(base == null || base.rootfs() == null ? List.of()
                : base.rootfs().diffIds());
        List<ImageConfig.History> history = new ArrayList<>(base == null || base.history() == null ? List.of()
                : base.history());
        long size = parentRow == null ? 0 : parentRow.size();
        boolean empty = layer == null || layer.empty();
        try (LayerStore.Pin pin = layers.pin()) {
            if (!empty) {
                LayerStore.Layer l = layers.commit(layer.staged(), chains.isEmpty() ? null : chains.getLast());
                chains.add(l.chainId());
                diffIds.add(l.diffId());
                size += l.size();
            }
            history.add(new ImageConfig.History(created, createdBy, null, null, empty ? Boolean.TRUE : null));
            ImageConfig cfg = new ImageConfig(
                    state.architecture() == null ? "amd64" : state.architecture(), state.author(), null,
                    state.config(), created, history, state.os() == null ? "linux" : state.os(),
                    new ImageConfig.RootFs("layers", diffIds));
            Digest id = blobs.put(Json.mapper().writeValueAsBytes(cfg));
            table.put(new ImageRow(id, now.getEpochSecond(), size, parentId, chains, List.of()), null,
                    now.getEpochSecond());
            return id;
        } finally {
            if (!empty) {
                layers.discard(layer.staged());
            }
        }
    }

    /** Whether {@code ancestor} is {@code id} or one of its parents. */
    boolean isAncestor(Digest ancestor, Digest id) {
        Digest cur = id;
        for (int hops = 0; cur != null && hops < 10_000; hops++) {
            if (cur.equals(ancestor)) {
                return true;
            }
            cur = table.get(cur).map(ImageRow::parent).orElse(null);
        }
        return false;
    }
}
