package dev.wharf.engine.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code docker save}: writes the images as Docker 25+ does, an OCI image layout
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}) that also carries the classic
 * {@code manifest.json} and {@code repositories}, so both {@code docker-archive:} and
 * {@code oci-archive:} readers take it. Layers go out as the uncompressed tars they came in as
 * (rebuilt byte for byte from the unpacked files and the layer's tar index), so diff IDs and
 * image IDs survive the round trip; a pulled layer goes out as its compressed blob.
 */
final class ImageSaver {

    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    private final ImageService service;
    private final ImageTable images;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;

    private final dev.wharf.store.table.RegistryTable registry;

    ImageSaver(ImageService service, ImageTable images, BlobStore blobs, LayerStore layers, EventService events,
            dev.wharf.store.table.RegistryTable registry) {
        this.registry = registry;
        this.service = service;
        this.images = images;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
    }

    /**
     * One image: per layer where its bytes come from (a compressed blob's file, or the layer store's
     * tar, null then), the layer, and the digest and media type it is saved under.
     */
    private record Item(Digest id, List<String> tags, List<String> diffIds, List<Path> tars,
            List<LayerStore.Layer> layerList, List<String> digests, List<String> types) {
    }

    /** Resolves every name first (so a bad one is a 404 before any byte is sent). */
    ImageService.PreparedSave prepare(List<String> names) {
        if (names.isEmpty()) {
            throw new InvalidArgumentException("no images specified");
        }
        Map<Digest, Item> items = new LinkedHashMap<>();
        for (String name : names) {
            for (Map.Entry<String, Digest> e : expand(name).entrySet()) {
                Digest id = e.getValue();
                Item it = items.computeIfAbsent(id, this::item);
                if (e.getKey() != null && !it.tags().contains(e.getKey())) {
                    it.tags().add(e.getKey());
                }
            }
        }
        return out -> write(List.copyOf(items.values()), out);
    }

    /** tag (or null when named by ID) → image ID; a bare repository name means all its tags. */
    private Map<String, Digest> expand(String name) {
        Map<String, Digest> out = new LinkedHashMap<>();
        boolean idLike = name.startsWith("sha256:") || name.matches("[0-9a-f]{6,64}");
        if (!idLike && !name.contains("@") && name.lastIndexOf(':') <= name.lastIndexOf('/')) {
            String repo = ImageRef.parse(name).repository();
            for (ImageTable.ImageRow row : images.list()) {
                for (String t : row.tags()) {
                    if (t.substring(0, t.lastIndexOf(':')).equals(repo)) {
                        out.put(t, row.id());
                    }
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        ImageService.Resolved r = service.resolve(name);
        boolean byId = idLike && r.id().hex().startsWith(name.startsWith("sha256:") ? name.substring(7) : name);
        out.put(byId ? null : ImageRef.parse(name).toString(), r.id());
        return out;
    }

    private Item item(Digest id) {
        ImageTable.ImageRow row = images.get(id).orElseThrow();
        List<String> diffIds = new ArrayList<>();
        List<Path> tars = new ArrayList<>();
        List<LayerStore.Layer> layerList = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (String chain : row.chainIds()) {
            LayerStore.Layer l = layers.get(chain).orElseThrow(
                    () -> new InternalException("layer " + chain + " of image " + id + " is missing"));
            diffIds.add(l.diffId());
            layerList.add(l);
            java.util.Optional<Long> tarSize;
            try {
                tarSize = layers.tarSize(chain);
            } catch (IOException e) {
                throw new InternalException("cannot read layer " + chain + ": " + e.getMessage(), e);
            }
            if (tarSize.isPresent()) {
                tars.add(null);
                digests.add(l.diffId());
                types.add(LAYER_TYPE);
                continue;
            }
            // a pulled layer: its compressed blob, as the registry had it
            var blob = registry.layerBlobs(l.diffId()).stream()
                    .filter(b -> blobs.exists(Digest.parse(b.digest()))).findFirst()
                    .orElseThrow(() -> new InternalException("layer " + l.diffId() + " of image " + id
                            + " has neither a stored tar nor a compressed blob; pull or load the image again"));
            tars.add(blobs.path(Digest.parse(blob.digest())));
            digests.add(blob.digest());
            types.add(blob.mediaType().startsWith("application/vnd.docker.") ? dockerToOci(blob.mediaType())
                    : blob.mediaType());
        }
        return new Item(id, new ArrayList<>(), diffIds, tars, layerList, digests, types);
    }

    private void write(List<Item> items, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        dir(tar, "blobs/");
        dir(tar, "blobs/sha256/");
        Set<String> written = new HashSet<>();
        ArrayNode manifestJson = Json.mapper().createArrayNode();
        ArrayNode indexManifests = Json.mapper().createArrayNode();
        ObjectNode repositories = Json.mapper().createObjectNode();
        byte[] buf = new byte[1 << 20];
        for (Item it : items) {
            ObjectNode manifest = Json.mapper().createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MANIFEST_TYPE);
            byte[] config = blobs.get(it.id()).orElseThrow(
                    () -> new InternalException("config blob of " + it.id() + " is missing"));
            manifest.set("config", descriptor(CONFIG_TYPE, it.id().toString(), config.length));
            ArrayNode mLayers = manifest.putArray("layers");
            ObjectNode legacy = manifestJson.addObject();
            legacy.put("Config", blobName(it.id().toString()));
            if (it.tags().isEmpty()) {
                legacy.putNull("RepoTags");
            } else {
                ArrayNode tags = legacy.putArray("RepoTags");
                it.tags().forEach(tags::add);
            }
            ArrayNode legacyLayers = legacy.putArray("Layers");
            for (int i = 0; i < it.diffIds().size(); i++) {
                String diffId = it.digests().get(i);
                Path file = it.tars().get(i);
                LayerStore.Layer layer = it.layerList().get(i);
                long size = file != null ? Files.size(file) : layers.tarSize(layer.chainId()).orElseThrow();
                mLayers.add(descriptor(it.types().get(i), diffId, size));
                legacyLayers.add(blobName(diffId));
                if (!written.add(diffId)) {
                    continue;
                }
                tar.putArchiveEntry(entry(blobName(diffId), size));
                if (file == null) {
                    layers.writeTar(layer, new java.io.FilterOutputStream(tar) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() {
                            // the archive goes on
                        }
                    });
                } else {
                    try (InputStream in = Files.newInputStream(file)) {
                        long left = size;
                        while (left > 0) {
                            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                            if (n < 0) {
                                throw new InternalException("layer " + diffId + " shrank while being saved");
                            }
                            tar.write(buf, 0, n);
                            left -= n;
                        }
                    }
                }
                tar.closeArchiveEntry();
            }
            if (written.add(it.id().toString())) {
                file(tar, blobName(it.id().toString()), config);
            }
            byte[] m = kept(it).orElse(Json.mapper().writeValueAsBytes(manifest));
            String mType = Json.mapper().readTree(m).path("mediaType").asText(MANIFEST_TYPE);
            String mDigest = Digest.of(m).toString();
            if (written.add(mDigest)) {
                file(tar, blobName(mDigest), m);
            }
            if (it.tags().isEmpty()) {
                indexManifests.add(descriptor(mType, mDigest, m.length));
            }
            for (String t : it.tags()) {
                ObjectNode d = descriptor(mType, mDigest, m.length);
                ObjectNode ann = d.putObject("annotations");
                ann.put("io.containerd.image.name", fullName(t));
                ann.put("org.opencontainers.image.ref.name", t.substring(t.lastIndexOf(':') + 1));
                indexManifests.add(d);
                int colon = t.lastIndexOf(':');
                ObjectNode repo = repositories.has(t.substring(0, colon)) ? (ObjectNode) repositories.get(
                        t.substring(0, colon)) : repositories.putObject(t.substring(0, colon));
                repo.put(t.substring(colon + 1), it.id().hex());
            }
            events.publish("image", "save", it.id().toString(), Map.of("name", it.tags().isEmpty() ? it.id().toString()
                    : it.tags().get(0)));
        }
        ObjectNode index = Json.mapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.set("manifests", indexManifests);
        file(tar, "index.json", Json.mapper().writeValueAsBytes(index));
        file(tar, "manifest.json", Json.mapper().writeValueAsBytes(manifestJson));
        file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        if (!repositories.isEmpty()) {
            file(tar, "repositories", Json.mapper().writeValueAsBytes(repositories));
        }
        tar.finish();
        tar.flush();
    }

    private static String dockerToOci(String t) {
        return t.equals(dev.wharf.oci.MediaTypes.DOCKER_LAYER_GZIP) ? dev.wharf.oci.MediaTypes.OCI_LAYER_GZIP : t;
    }

    /**
     * The manifest the image was pulled with, when it names exactly the blobs being saved: then the
     * saved layout has the registry's manifest digest.
     */
    private java.util.Optional<byte[]> kept(Item it) throws IOException {
        for (var km : registry.manifests(it.id())) {
            java.util.Optional<byte[]> b = blobs.get(Digest.parse(km.digest()));
            if (b.isEmpty()) {
                continue;
            }
            dev.wharf.oci.image.Manifest m = Json.mapper().readValue(b.get(), dev.wharf.oci.image.Manifest.class);
            if (m.config() != null && it.id().toString().equals(m.config().digest()) && m.layers() != null
                    && m.layers().stream().map(dev.wharf.oci.image.Descriptor::digest).toList().equals(it.digests())) {
                return java.util.Optional.of(b.get());
            }
        }
        return java.util.Optional.empty();
    }

    /** The fully qualified name containerd stores: {@code docker.io/library/busybox:latest}. */
    static String fullName(String familiar) {
        int slash = familiar.indexOf('/');
        String first = slash < 0 ? "" : familiar.substring(0, slash);
        if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            return familiar;
        }
        return slash < 0 ? "docker.io/library/" + familiar : "docker.io/" + familiar;
    }

    private static ObjectNode descriptor(String type, String digest, long size) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("mediaType", type);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String blobName(String digest) {
        return "blobs/sha256/" + Digest.parse(digest).hex();
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0644);
        e.setModTime(0);
        return e;
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0755);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        tar.putArchiveEntry(entry(name, data.length));
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
