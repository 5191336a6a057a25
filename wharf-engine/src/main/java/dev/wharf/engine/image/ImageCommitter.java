package dev.wharf.engine.image;

import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes an image from a parent image plus one layer tar ({@code docker commit}): the layer is
 * registered on top of the parent's, the config gets the new run config, author, comment and a
 * history step. A layer with no entries is recorded as an empty history step, as moby does.
 */
final class ImageCommitter {

    /** sha256 of a tar holding nothing but its 1024-byte trailer. */
    static final String EMPTY_TAR = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    private final ImageService service;
    private final ImageTable images;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;

    ImageCommitter(ImageService service, ImageTable images, BlobStore blobs, LayerStore layers, EventService events) {
        this.service = service;
        this.images = images;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
    }

    Digest commit(ImageService.CommitRequest req) throws IOException {
        ImageRef ref = req.repo() == null || req.repo().isEmpty() ? null : ImageRef.parse(req.repo(), req.tag());
        ImageService.Resolved parent = service.resolve(req.parentImageId());
        ImageRow parentRow = images.get(parent.id()).orElseThrow();
        ImageConfig base = parent.config();
        LayerStore.Staged staged;
        try (InputStream in = Files.newInputStream(req.layerTar())) {
            staged = layers.stage(in);
        }
        Instant now = Instant.now();
        long nowSec = now.getEpochSecond();
        String created = Times.rfc3339(now);
        try (LayerStore.Pin pin = layers.pin()) {
            boolean empty = staged.diffId().equals(EMPTY_TAR);
            List<String> chains = new ArrayList<>(parentRow.chainIds());
            List<String> diffIds = new ArrayList<>(base.rootfs() == null ? List.of() : base.rootfs().diffIds());
            long size = parentRow.size();
            if (!empty) {
                String top = chains.isEmpty() ? null : chains.getLast();
                LayerStore.Layer l = layers.commit(staged, top);
                chains.add(l.chainId());
                diffIds.add(l.diffId());
                size += l.size();
            }
            List<ImageConfig.History> history = new ArrayList<>(base.history() == null ? List.of() : base.history());
            history.add(new ImageConfig.History(created, req.createdBy(), blankToNull(req.author()),
                    blankToNull(req.comment()), empty ? Boolean.TRUE : null));
            ImageConfig cfg = new ImageConfig(base.architecture() == null ? "amd64" : base.architecture(),
                    blankToNull(req.author()), blankToNull(req.comment()), req.config(), created, history,
                    base.os() == null ? "linux" : base.os(), new ImageConfig.RootFs("layers", diffIds));
            Digest id = blobs.put(Json.mapper().writeValueAsBytes(cfg));
            images.put(new ImageRow(id, nowSec, size, parent.id(), chains, List.of()),
                    ref == null ? null : ref.toString(), nowSec);
            events.publish("image", "commit", id.toString(), Map.of("name", ref == null ? id.toString() : ref.toString()));
            if (ref != null) {
                events.publish("image", "tag", id.toString(), Map.of("name", ref.toString()));
            }
            return id;
        } finally {
            layers.discard(staged);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
