package dev.wharf.engine.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.oci.MediaTypes;
import dev.wharf.oci.image.Descriptor;
import dev.wharf.oci.image.Manifest;
import dev.wharf.registry.Reference;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.RegistryException;
import dev.wharf.registry.Repository;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.RegistryTable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * {@code docker push}: for each layer, a blob the registry has already is skipped (HEAD first),
 * one another repository of the same registry has is mounted, and the rest are uploaded: the
 * compressed blob kept from a pull as it is (one monolithic PUT), or the layer's tar gzipped into
 * the blob store first (on every core) and then sent the same way, the compressed blob kept for
 * the next push. Then the config, and
 * the manifest last: the one the image was pulled with when every blob it names is still here (so
 * the digest stays the same), otherwise a Docker v2 schema 2 manifest. The digest is recorded in
 * the image's RepoDigests.
 */
final class PushOperation {

    private static final ObjectMapper JSON = Json.mapper();

    private final ImageService service;
    private final ImageTable images;
    private final RegistryTable registry;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;
    private final RegistryClient client;
    private final java.util.concurrent.Executor compressors;

    PushOperation(ImageService service, ImageTable images, RegistryTable registry, BlobStore blobs, LayerStore layers,
            EventService events, RegistryClient client, java.util.concurrent.Executor compressors) {
        this.compressors = compressors;
        this.service = service;
        this.images = images;
        this.registry = registry;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
        this.client = client;
    }

    List<PushResult> push(PushRequest req, ProgressListener listener) {
        Reference named = Reference.parse(req.name(), req.tag());
        if (named.digest() != null) {
            throw new dev.wharf.base.error.InvalidArgumentException("cannot push a digest reference");
        }
        List<String> tags = new ArrayList<>();
        String repoName = named.familiarName();
        if (named.tag() != null) {
            tags.add(named.tag());
        } else {
            for (ImageTable.ImageRow row : images.list()) {
                for (String t : row.tags()) {
                    if (t.substring(0, t.lastIndexOf(':')).equals(repoName)) {
                        tags.add(t.substring(t.lastIndexOf(':') + 1));
                    }
                }
            }
            if (tags.isEmpty()) {
                throw new NotFoundException("An image does not exist locally with the tag: " + repoName);
            }
        }
        ProgressStream ps = new ProgressStream(listener);
        Repository repo = client.repository(named.repository(), req.credentials(), true);
        List<PushResult> out = new ArrayList<>();
        ps.status("The push refers to repository [" + named.name() + "]");
        ExecutorService pool = Executors.newFixedThreadPool(client.options().maxConcurrentUploads(), r -> {
            Thread t = new Thread(r, "blob-push");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String tag : tags) {
                String local = ImageRef.parse(repoName, tag).toString();
                Digest id = images.byTag(local).orElseThrow(() -> new NotFoundException(
                        "An image does not exist locally with the tag: " + repoName
                                + (named.tag() != null ? ":" + tag : "")));
                out.add(pushOne(repo, named.withTag(tag), id, ps, pool));
            }
        } catch (RegistryException e) {
            ps.checkCancelled(); // a failed upload of a cancelled push
            throw RegistryErrors.push(e);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private PushResult pushOne(Repository repo, Reference ref, Digest imageId, ProgressStream ps,
            ExecutorService pool) {
        ImageTable.ImageRow row = images.get(imageId).orElseThrow();
        List<LayerStore.Layer> ls = new ArrayList<>();
        for (String chain : row.chainIds()) {
            ls.add(layers.get(chain).orElseThrow(() -> new InternalException("layer " + chain + " is missing")));
        }
        for (int i = ls.size() - 1; i >= 0; i--) {
            ps.layer(Digest.parse(ls.get(i).diffId()).shortHex(), "Preparing");
        }
        List<Future<Descriptor>> futures = new ArrayList<>();
        for (int i = ls.size() - 1; i >= 0; i--) {
            LayerStore.Layer l = ls.get(i);
            futures.add(pool.submit(() -> pushLayer(repo, ref, l, ps)));
        }
        List<Descriptor> descs = new ArrayList<>();
        for (Future<Descriptor> f : futures) {
            descs.addFirst(await(f));
        }
        ps.checkCancelled();
        try {
            if (repo.statBlob(imageId.toString()).isEmpty()) {
                long size = blobs.size(imageId);
                repo.uploadWhole(imageId.toString(), size, () -> open(imageId));
            }
        } catch (IOException e) {
            throw new InternalException("cannot read the config of " + imageId + ": " + e.getMessage(), e);
        }
        byte[] manifest;
        String mediaType;
        Optional<RegistryTable.ImageManifest> kept = keptManifest(imageId, descs);
        try {
            if (kept.isPresent()) {
                manifest = blobs.get(Digest.parse(kept.get().digest())).orElseThrow();
                mediaType = kept.get().mediaType();
            } else {
                manifest = schema2(imageId, blobs.size(imageId), descs);
                mediaType = MediaTypes.DOCKER_MANIFEST;
            }
        } catch (IOException e) {
            throw new InternalException("cannot read the manifest of " + imageId + ": " + e.getMessage(), e);
        }
        String digest = repo.putManifest(ref.tag(), manifest, mediaType);
        try {
            blobs.put(manifest);
        } catch (IOException e) {
            throw new InternalException("cannot store the manifest: " + e.getMessage(), e);
        }
        registry.addManifest(imageId, new RegistryTable.ImageManifest(Digest.of(manifest).toString(), mediaType));
        registry.putRepoDigest(ref.familiarName(), digest, imageId);
        for (Descriptor d : descs) {
            registry.addSource(d.digest(), ref.domain(), ref.path());
        }
        ps.status(ref.tag() + ": digest: " + digest + " size: " + manifest.length);
        Map<String, Object> aux = new java.util.LinkedHashMap<>();
        aux.put("Tag", ref.tag());
        aux.put("Digest", digest);
        aux.put("Size", manifest.length);
        ps.send(new dev.wharf.model.common.ProgressMessage(null, null, Map.of(), null, null, aux, null, null));
        events.publish("image", "push", ref.familiar(), Map.of("name", ref.familiar()));
        return new PushResult(ref.tag(), digest, manifest.length);
    }

    /** The manifest the image came with, when every layer of it is the blob being pushed. */
    private Optional<RegistryTable.ImageManifest> keptManifest(Digest imageId, List<Descriptor> descs) {
        for (RegistryTable.ImageManifest km : registry.manifests(imageId)) {
            try {
                Optional<byte[]> b = blobs.get(Digest.parse(km.digest()));
                if (b.isEmpty()) {
                    continue;
                }
                Manifest m = JSON.readValue(b.get(), Manifest.class);
                if (m.layers() != null && m.layers().stream().map(Descriptor::digest).toList()
                        .equals(descs.stream().map(Descriptor::digest).toList())) {
                    return Optional.of(km);
                }
            } catch (IOException e) {
                // build a new one
            }
        }
        return Optional.empty();
    }

    private Descriptor pushLayer(Repository repo, Reference ref, LayerStore.Layer l, ProgressStream ps)
            throws IOException {
        ps.checkCancelled();
        String id = Digest.parse(l.diffId()).shortHex();
        Optional<RegistryTable.LayerBlob> stored = registry.layerBlobs(l.diffId()).stream()
                .filter(b -> blobs.exists(Digest.parse(b.digest()))).findFirst();
        if (stored.isPresent()) {
            RegistryTable.LayerBlob b = stored.get();
            Descriptor d = Descriptor.of(b.mediaType(), b.digest(), b.size());
            if (repo.statBlob(b.digest()).isPresent()) {
                ps.layer(id, "Layer already exists");
                return d;
            }
            for (String from : registry.sources(b.digest(), ref.domain())) {
                if (!from.equals(ref.path()) && repo.mountBlob(b.digest(), from)) {
                    ps.layer(id, "Mounted from " + from);
                    return d;
                }
            }
            Digest digest = Digest.parse(b.digest());
            long size = blobs.size(digest);
            repo.uploadWhole(b.digest(), size, () -> counting(open(digest), ps,
                    n -> ps.bytes(id, "Pushing", n, size, n == size)));
            ps.layer(id, "Pushed");
            return d;
        }
        if (layers.tarSize(l.chainId()).isEmpty()) {
            throw new InternalException("layer " + l.diffId() + " has neither a compressed blob nor its tar; it cannot be pushed");
        }
        return compressAndUpload(repo, l, id, ps);
    }

    /**
     * Gzips the layer's tar into the blob store, then uploads that blob in one PUT. The blocks are
     * compressed on the shared compression pool ({@link dev.wharf.archive.ParallelGzip}), so one
     * big layer uses every core, and incompressible blocks are stored rather than deflated; the
     * blob is kept, so the next push of this layer sends the same digest without compressing.
     */
    private Descriptor compressAndUpload(Repository repo, LayerStore.Layer l, String id, ProgressStream ps)
            throws IOException {
        Digest d;
        long size;
        try (BlobStore.Writer w = blobs.writer()) {
            try (var gz = new dev.wharf.archive.ParallelGzip(new BlobOut(w, ps), compressors, GZIP_LEVEL,
                    COMPRESS_IN_FLIGHT)) {
                layers.writeTar(l, gz);
            }
            d = w.digest();
            size = w.size();
            w.commit(d);
        }
        try {
            registry.addLayerBlob(new RegistryTable.LayerBlob(l.diffId(), d.toString(), MediaTypes.DOCKER_LAYER_GZIP,
                    size));
            if (repo.statBlob(d.toString()).isPresent()) {
                ps.layer(id, "Layer already exists");
            } else {
                repo.uploadWhole(d.toString(), size, () -> counting(open(d), ps,
                        n -> ps.bytes(id, "Pushing", n, size, n == size)));
                ps.layer(id, "Pushed");
            }
        } finally {
            blobs.release(d);
        }
        return Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, d.toString(), size);
    }

    private static final String CANCELLED = "push cancelled: the client went away";

    /** deflate level 1: about twice as fast as 6 for a few percent more bytes. */
    private static final int GZIP_LEVEL = 1;
    /** Blocks one layer keeps in flight on the compression pool (about 2 MiB each). */
    private static final int COMPRESS_IN_FLIGHT = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

    /**
     * The compressed bytes go to the blob writer (hashed and written to its ingest file); a push
     * whose client is gone stops compressing, and its ingest file is dropped.
     */
    private static final class BlobOut extends java.io.OutputStream {
        private final BlobStore.Writer w;
        private final ProgressStream ps;

        BlobOut(BlobStore.Writer w, ProgressStream ps) {
            this.w = w;
            this.ps = ps;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (ps.cancelled()) {
                throw new IOException(CANCELLED);
            }
            w.write(b, off, len);
        }
    }

    private byte[] schema2(Digest imageId, long configSize, List<Descriptor> descs) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", MediaTypes.DOCKER_CONFIG);
        c.put("size", configSize);
        c.put("digest", imageId.toString());
        ArrayNode ls = m.putArray("layers");
        for (Descriptor d : descs) {
            ObjectNode o = ls.addObject();
            o.put("mediaType", d.mediaType().equals(MediaTypes.OCI_LAYER_GZIP) ? MediaTypes.DOCKER_LAYER_GZIP
                    : d.mediaType());
            o.put("size", d.size());
            o.put("digest", d.digest());
        }
        return JSON.writeValueAsBytes(m);
    }

    private InputStream open(Digest d) {
        try {
            return blobs.open(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob as the upload reads it, reporting its progress; a push whose client is gone stops reading. */
    private static InputStream counting(InputStream in, ProgressStream ps, LongConsumer progress) {
        return new FilterInputStream(in) {
            private long n;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (ps.cancelled()) {
                    throw new IOException(CANCELLED);
                }
                int r = super.read(b, off, len);
                if (r > 0) {
                    n += r;
                    progress.accept(n);
                }
                return r;
            }
        };
    }

    private static Descriptor await(Future<Descriptor> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("push interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new InternalException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        }
    }
}
