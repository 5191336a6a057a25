package dev.wharf.engine.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.oci.MediaTypes;
import dev.wharf.oci.image.Descriptor;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.oci.image.Manifest;
import dev.wharf.registry.Platform;
import dev.wharf.registry.Reference;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.RegistryException;
import dev.wharf.registry.Repository;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import dev.wharf.store.table.RegistryTable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code docker pull}: resolves the tag to a manifest (choosing the platform from an index),
 * fetches the config, skips layers that exist, downloads the others through {@link Transfers}
 * and commits the image: layers in order, then the image row, its tag, manifest and repo digest
 * in one transaction, so a crash leaves no partial image and the next pull reuses every blob that
 * was verified. Reports Docker's progress messages. When the client goes away the pull stops
 * before its commit, as Docker's does: downloads nobody else waits for stop too, and the blobs
 * already verified stay for the next pull.
 */
final class PullOperation {

    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_CONFIG = 16 << 20;
    /** How often a pull waiting for its layers checks whether its client is still there. */
    private static final long CANCEL_CHECK_MS = 100;

    private final ImageTable images;
    private final RegistryTable registry;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;
    private final RegistryClient client;
    private final Transfers transfers;

    PullOperation(ImageTable images, RegistryTable registry, BlobStore blobs, LayerStore layers, EventService events,
            RegistryClient client, Transfers transfers) {
        this.images = images;
        this.registry = registry;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
        this.client = client;
        this.transfers = transfers;
    }

    PullResult pull(PullRequest req, ProgressListener listener) {
        Reference named = Reference.parse(req.image(), req.tag());
        Platform platform = Platform.parse(req.platform());
        boolean explicitPlatform = req.platform() != null && !req.platform().isBlank();
        ProgressStream ps = new ProgressStream(listener);
        Repository repo = client.repository(named.repository(), req.credentials(), false);
        try {
            if (req.allTags() && named.tag() == null && named.digest() == null) {
                List<String> tags = repo.tags();
                if (tags.isEmpty()) {
                    throw new NotFoundException("no tags found for " + named.familiarName());
                }
                PullResult last = null;
                boolean any = false;
                for (String t : tags) {
                    last = pullOne(repo, named.withTag(t), platform, explicitPlatform, ps, false);
                    any |= last.updated();
                }
                ps.status((any ? "Status: Downloaded newer image for " : "Status: Image is up to date for ")
                        + named.familiarName());
                return last;
            }
            Reference ref = named.tag() == null && named.digest() == null ? named.withTag("latest") : named;
            return pullOne(repo, ref, platform, explicitPlatform, ps, true);
        } catch (RegistryException e) {
            throw RegistryErrors.pull(e, named.tag() == null && named.digest() == null ? named.withTag("latest")
                    : named);
        }
    }

    private PullResult pullOne(Repository repo, Reference ref, Platform platform, boolean explicitPlatform,
            ProgressStream ps, boolean finalStatus) {
        ps.checkCancelled();
        Repository.FetchedManifest top = repo.manifest(ref.tagOrDigest());
        Repository.FetchedManifest image = top;
        Manifest m = parse(top);
        if (m.isIndex()) {
            Descriptor pick = platform.choose(m.manifests()).orElseThrow(() -> new NotFoundException(
                    "no matching manifest for " + platform + " in the manifest list entries"));
            image = repo.manifest(pick.digest());
            m = parse(image);
            if (m.isIndex()) {
                throw new InvalidArgumentException("nested manifest indexes are not supported: " + pick.digest());
            }
        }
        if (m.config() == null || m.layers() == null) {
            throw new InvalidArgumentException("unsupported manifest format (" + top.mediaType() + ") for "
                    + ref.familiar());
        }
        for (Descriptor l : m.layers()) {
            if (MediaTypes.isForeignLayer(l.mediaType()) || (l.urls() != null && !l.urls().isEmpty())) {
                throw new InvalidArgumentException("cannot pull " + ref.familiar() + ": layer " + l.digest()
                        + " is a foreign (non-distributable) layer (" + l.mediaType()
                        + "); Wharf fetches only layers the registry holds");
            }
        }
        ps.layer(ref.digest() != null ? ref.digest() : ref.tag(), "Pulling from " + ref.path());
        Digest imageId = Digest.parse(m.config().digest());
        ps.checkCancelled();
        ImageConfig config = config(repo, m.config());
        checkPlatform(config, platform, explicitPlatform, ref);
        List<String> diffIds = config.rootfs() == null || config.rootfs().diffIds() == null ? List.of()
                : config.rootfs().diffIds();
        if (diffIds.size() != m.layers().size()) {
            throw new InvalidArgumentException("invalid manifest, layers length mismatch: expected "
                    + diffIds.size() + ", got " + m.layers().size());
        }
        List<String> chains = new ArrayList<>();
        String parent = null;
        for (String diff : diffIds) {
            parent = LayerStore.chainId(parent, diff);
            chains.add(parent);
        }
        String tagRef = ref.tag() != null ? ImageRef.parse(ref.familiarName(), ref.tag()).toString() : null;
        Optional<Digest> before = tagRef == null ? Optional.empty() : images.byTag(tagRef);
        boolean imagePresent = images.get(imageId).isPresent();
        List<Layer> work = new ArrayList<>();
        try {
            for (int i = 0; i < m.layers().size(); i++) {
                Descriptor l = m.layers().get(i);
                String id = Digest.parse(l.digest()).shortHex();
                if (imagePresent || layers.get(chains.get(i)).isPresent()) {
                    if (!imagePresent) {
                        ps.layer(id, "Already exists");
                    }
                    work.add(new Layer(l, null, null));
                } else {
                    ps.layer(id, "Pulling fs layer");
                    Watcher w = new Watcher(id, ps);
                    work.add(new Layer(l, transfers.join(Digest.parse(l.digest()), l.size(), repo, w), w));
                }
            }
            long size = commitLayers(work, chains, diffIds, ps);
            commitImage(imageId, config, size, chains, tagRef, ref, top, image, work);
        } finally {
            for (Layer l : work) {
                if (l.transfer() != null) {
                    transfers.leave(l.transfer(), l.watcher());
                    blobs.release(Digest.parse(l.desc().digest()));
                }
            }
            blobs.release(imageId);
        }
        List<String> sources = new ArrayList<>();
        for (Layer l : work) {
            sources.add(l.desc().digest());
        }
        sources.add(imageId.toString());
        registry.addSources(sources, ref.domain(), ref.path());
        boolean updated = !imagePresent || before.isEmpty() || !before.get().equals(imageId);
        ps.status("Digest: " + top.digest());
        if (finalStatus) {
            ps.status((updated ? "Status: Downloaded newer image for " : "Status: Image is up to date for ")
                    + ref.familiar());
        }
        events.publish("image", "pull", ref.familiar(), Map.of("name", ref.familiar()));
        return new PullResult(imageId, ref.familiar(), top.digest(), updated);
    }

    /** One layer of the manifest: present already (no transfer), or being fetched. */
    private record Layer(Descriptor desc, Transfers.Transfer transfer, Watcher watcher) {
    }

    /** Turns a transfer's events into this pull's progress messages for one layer. */
    private static final class Watcher implements Transfers.Watcher {
        private final String id;
        private final ProgressStream ps;

        Watcher(String id, ProgressStream ps) {
            this.id = id;
            this.ps = ps;
        }

        @Override
        public void waiting() {
            ps.layer(id, "Waiting");
        }

        @Override
        public void downloading(long current, long total) {
            ps.bytes(id, "Downloading", current, total, current == total);
        }

        @Override
        public void downloaded() {
            ps.layer(id, "Verifying Checksum");
            ps.layer(id, "Download complete");
        }

        @Override
        public void extracting(long current, long total) {
            ps.bytes(id, "Extracting", current, total, current == total);
        }
    }

    /**
     * Waits for the layers, checks their diff IDs and registers them all at once (one flush for
     * the blobs and unpacked files of the whole image); then reports each {@code Pull complete}.
     * Returns the image's size.
     */
    private long commitLayers(List<Layer> work, List<String> chains, List<String> diffIds, ProgressStream ps) {
        List<LayerStore.Staged> staged = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        List<LayerStore.Staged> taken = new ArrayList<>();
        long size = 0;
        try (LayerStore.Pin pin = layers.pin()) {
            String parent = null;
            for (int i = 0; i < work.size(); i++) {
                Layer l = work.get(i);
                LayerStore.Staged s = null;
                if (l.transfer() != null) {
                    Transfers.Fetched f = await(l.transfer(), ps);
                    String id = Digest.parse(l.desc().digest()).shortHex();
                    if (!f.diffId().equals(diffIds.get(i))) {
                        throw new InvalidArgumentException("failed to register layer: diffID mismatch for layer "
                                + l.desc().digest() + ": expected " + diffIds.get(i) + ", got " + f.diffId());
                    }
                    if (layers.get(chains.get(i)).isEmpty()) {
                        s = l.transfer().takeStaged();
                        if (s == null) {
                            s = transfers.unpackStored(f.blob());
                            ps.bytes(id, "Extracting", l.desc().size(), l.desc().size(), true);
                        }
                        taken.add(s);
                    }
                }
                staged.add(s);
                parents.add(parent);
                parent = chains.get(i);
            }
            layers.commit(staged, parents);
            for (int i = 0; i < work.size(); i++) {
                String chain = chains.get(i);
                if (work.get(i).transfer() != null) {
                    ps.layer(Digest.parse(work.get(i).desc().digest()).shortHex(), "Pull complete");
                }
                size += layers.get(chain).map(LayerStore.Layer::size).orElseThrow(
                        () -> new InternalException("layer " + chain + " vanished during the pull"));
            }
        } catch (IOException e) {
            throw new InternalException("failed to register layer: " + e.getMessage(), e);
        } finally {
            for (LayerStore.Staged s : taken) {
                try {
                    layers.discard(s);
                } catch (IOException ignored) {
                    // removed at the next start
                }
            }
        }
        return size;
    }

    /**
     * Waits for a transfer; stops waiting when the pull's client is gone (the pull then leaves its
     * transfers, and one nobody else watches stops).
     */
    private static Transfers.Fetched await(Transfers.Transfer t, ProgressStream ps) {
        try {
            while (true) {
                ps.checkCancelled();
                try {
                    return t.done.get(CANCEL_CHECK_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // check again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("pull interrupted", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new InternalException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        }
    }

    private void commitImage(Digest imageId, ImageConfig config, long size, List<String> chains, String tagRef,
            Reference ref, Repository.FetchedManifest top, Repository.FetchedManifest image, List<Layer> work) {
        try {
            blobs.put(image.bytes());
            blobs.put(top.bytes());
        } catch (IOException e) {
            throw new InternalException("cannot store the manifest: " + e.getMessage(), e);
        }
        long now = Instant.now().getEpochSecond();
        List<String> diffIds = config.rootfs().diffIds();
        images.put(new ImageRow(imageId, created(config), size, null, chains, List.of()), tagRef, now, c -> {
            RegistryTable.addManifest(c, imageId, new RegistryTable.ImageManifest(image.digest(),
                    image.mediaType().isEmpty() ? MediaTypes.DOCKER_MANIFEST : image.mediaType()));
            RegistryTable.putRepoDigest(c, ref.familiarName(), top.digest(), imageId);
            for (int i = 0; i < work.size(); i++) {
                Descriptor d = work.get(i).desc();
                if (work.get(i).transfer() != null || blobs.exists(Digest.parse(d.digest()))) {
                    RegistryTable.addLayerBlob(c, new RegistryTable.LayerBlob(diffIds.get(i), d.digest(),
                            d.mediaType(), d.size()));
                }
            }
            return null;
        });
    }

    private ImageConfig config(Repository repo, Descriptor cfg) {
        Digest d = Digest.parse(cfg.digest());
        try {
            byte[] bytes;
            if (blobs.exists(d)) {
                bytes = blobs.get(d).orElseThrow();
            } else {
                if (cfg.size() > MAX_CONFIG) {
                    throw new InvalidArgumentException("image config " + cfg.digest() + " is too large");
                }
                Repository.Blob b = repo.openBlob(cfg.digest(), 0);
                try (InputStream in = b.in()) {
                    bytes = in.readNBytes(MAX_CONFIG + 1);
                }
                if (!Digest.of(bytes).equals(d)) {
                    throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, 200,
                            "image config verification failed for digest " + cfg.digest());
                }
                blobs.put(bytes);
            }
            blobs.lease(d);
            return JSON.readValue(bytes, ImageConfig.class);
        } catch (IOException e) {
            throw new InternalException("cannot read image config " + cfg.digest() + ": " + e.getMessage(), e);
        }
    }

    private static void checkPlatform(ImageConfig c, Platform want, boolean explicit, Reference ref) {
        if (!explicit) {
            return;
        }
        Platform have = new Platform(c.os(), c.architecture(), null);
        if (!have.os().equals(want.os()) || !have.architecture().equals(want.architecture())) {
            throw new NotFoundException("image with reference " + ref.familiar()
                    + " was found but does not match the specified platform: wanted " + want + ", actual: " + have);
        }
    }

    private static Manifest parse(Repository.FetchedManifest f) {
        if (f.mediaType().equals(MediaTypes.DOCKER_SCHEMA1_SIGNED) || f.mediaType().equals(MediaTypes.DOCKER_SCHEMA1)) {
            throw new InvalidArgumentException("Docker Image manifest version 2, schema 1 is not supported; "
                    + "the image must be pushed again in a newer format");
        }
        try {
            return JSON.readValue(f.bytes(), Manifest.class);
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid manifest " + f.digest() + ": " + e.getMessage(), e);
        }
    }

    private static long created(ImageConfig c) {
        try {
            return c.created() == null ? 0 : java.time.OffsetDateTime.parse(c.created()).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }
}
