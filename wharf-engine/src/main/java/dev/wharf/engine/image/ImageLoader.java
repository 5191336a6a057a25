package dev.wharf.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.archive.Compression;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStager;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker load}: reads a docker-archive ({@code manifest.json}, layer tars, config JSON) or
 * an OCI image layout ({@code index.json}, {@code blobs/sha256/}), plain or compressed, in one
 * pass. Layers are unpacked into temporary directories as they stream by (which file is a layer
 * is known only from the manifest at the end); then everything is checked (configs parse, diff IDs
 * match) before anything is registered, so bad input changes nothing. Registration renames the
 * layers into place and inserts the image rows last.
 */
final class ImageLoader {

    static final long MAX_JSON = 16L << 20;
    /** Layers whose unpacking may trail the archive's reading (each holds at most a few MiB). */
    private static final int OVERLAP = 2;

    /** The name of a blob in an OCI layout, which its bytes must hash to. */
    private static final String BLOB_NAME = "blobs/sha256/[0-9a-f]{64}";

    private final ImageTable images;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;

    ImageLoader(ImageTable images, BlobStore blobs, LayerStore layers, EventService events) {
        this.images = images;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
    }

    /** One image of the archive, checked. */
    record Plan(Digest id, byte[] config, ImageConfig parsed, List<String> layerNames, List<String> tags) {
    }

    /** Reads and checks the archive; the result must be applied or closed. */
    ImageService.PreparedLoad prepare(InputStream body) throws IOException {
        Prepared p = new Prepared();
        try {
            p.read(body);
            p.plan();
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private final class Prepared implements ImageService.PreparedLoad {
        private final Map<String, byte[]> files = new HashMap<>();
        private final Map<String, LayerStore.Staged> staged = new HashMap<>();
        /** Layers whose unpacker may still be at work while the next layer streams in, oldest first. */
        private final LinkedHashMap<String, LayerStager> unpacking = new LinkedHashMap<>();
        private final Map<String, String> links = new HashMap<>();
        private final List<Plan> plans = new ArrayList<>();

        void read(InputStream body) throws IOException {
            InputStream plain;
            try {
                plain = Compression.decompress(body);
            } catch (IOException e) {
                throw new InvalidArgumentException("invalid archive: " + e.getMessage(), e);
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name());
            TarArchiveEntry entry;
            while ((entry = next(tar)) != null) {
                String name = clean(entry.getName());
                if (name == null) {
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    String target = entry.isLink() ? clean(entry.getLinkName())
                            : clean(parent(name) + "/" + entry.getLinkName());
                    if (target != null) {
                        links.put(name, target);
                    }
                    continue;
                }
                if (!entry.isFile()) {
                    continue;
                }
                java.security.MessageDigest sha = name.matches(BLOB_NAME) ? sha256() : null;
                BufferedInputStream in = new BufferedInputStream(
                        sha == null ? tar : new java.security.DigestInputStream(tar, sha), 1 << 20);
                in.mark(1024);
                byte[] head = in.readNBytes(512);
                in.reset();
                if (isJson(head)) {
                    if (entry.getSize() > MAX_JSON) {
                        throw new InvalidArgumentException("invalid archive: " + name + " is too large for a JSON file");
                    }
                    files.put(name, in.readAllBytes());
                    checkBlobDigest(name, sha);
                } else if (Compression.detect(head) != Compression.NONE || isTar(head)) {
                    LayerStager old = unpacking.remove(name); // a name twice in the archive: the last wins
                    if (old != null) {
                        old.abort();
                    }
                    LayerStore.Staged prev = staged.remove(name);
                    if (prev != null) {
                        layers.discard(prev);
                    }
                    LayerStager st = layers.stager(true);
                    unpacking.put(name, st);
                    st.writeAll(in);
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                    checkBlobDigest(name, sha);
                    while (unpacking.size() > OVERLAP) {
                        finishOldest();
                    }
                }
            }
            while (!unpacking.isEmpty()) {
                finishOldest();
            }
        }

        /**
         * Waits for the oldest layer still unpacking. The next layer streams in meanwhile, so the
         * end of one layer's unpacking overlaps the start of the next one's.
         */
        private void finishOldest() throws IOException {
            var e = unpacking.entrySet().iterator().next();
            LayerStore.Staged s = e.getValue().finish();
            unpacking.remove(e.getKey());
            staged.put(e.getKey(), s);
        }

        /**
         * An OCI layout names each blob by the sha256 of its bytes (compressed, for a layer): a
         * blob whose bytes do not match is refused, so a tampered archive loads nothing.
         */
        private static void checkBlobDigest(String name, java.security.MessageDigest sha) {
            if (sha == null) {
                return;
            }
            String want = "sha256:" + name.substring("blobs/sha256/".length());
            String got = "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
            if (!want.equals(got)) {
                throw new InvalidArgumentException("invalid archive: blob " + want
                        + " does not match its content (sha256 of the bytes is " + got + ")");
            }
        }

        private static java.security.MessageDigest sha256() {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }

        private static TarArchiveEntry next(TarArchiveInputStream tar) {
            try {
                return tar.getNextEntry();
            } catch (IOException e) {
                throw new InvalidArgumentException("invalid archive: " + e.getMessage(), e);
            }
        }

        void plan() throws IOException {
            byte[] manifest = file("manifest.json");
            byte[] index = file("index.json");
            if (manifest != null) {
                planDockerArchive(manifest);
            } else if (index != null) {
                planOciLayout(index);
            } else {
                throw new InvalidArgumentException(
                        "invalid archive: neither manifest.json (docker-archive) nor index.json (OCI layout) found");
            }
            if (plans.isEmpty()) {
                throw new InvalidArgumentException("invalid archive: it names no image");
            }
        }

        private void planDockerArchive(byte[] manifest) throws IOException {
            JsonNode root = parse(manifest, "manifest.json");
            if (!root.isArray()) {
                throw new InvalidArgumentException("invalid archive: manifest.json is not a list");
            }
            for (JsonNode m : root) {
                String cfgName = text(m, "Config");
                byte[] cfg = cfgName == null ? null : file(cfgName);
                if (cfg == null) {
                    throw new InvalidArgumentException("invalid archive: config " + cfgName + " not found");
                }
                List<String> layerNames = new ArrayList<>();
                for (JsonNode l : m.path("Layers")) {
                    layerNames.add(l.asText());
                }
                List<String> tags = new ArrayList<>();
                for (JsonNode t : m.path("RepoTags")) {
                    tags.add(ImageRef.parse(t.asText()).toString());
                }
                add(cfg, layerNames, tags);
            }
        }

        private void planOciLayout(byte[] index) throws IOException {
            JsonNode root = parse(index, "index.json");
            for (JsonNode d : root.path("manifests")) {
                JsonNode ann = d.path("annotations");
                String name = ann.path("io.containerd.image.name").asText("");
                if (name.isEmpty()) {
                    String ref = ann.path("org.opencontainers.image.ref.name").asText("");
                    name = ref.contains(":") || ref.contains("/") ? ref : "";
                }
                List<String> tags = name.isEmpty() ? List.of() : List.of(ImageRef.parse(name).toString());
                JsonNode manifest = manifest(d, 0);
                String cfgDigest = manifest.path("config").path("digest").asText("");
                byte[] cfg = blob(cfgDigest);
                if (cfg == null) {
                    throw new InvalidArgumentException("invalid archive: config blob " + cfgDigest + " not found");
                }
                List<String> layerNames = new ArrayList<>();
                for (JsonNode l : manifest.path("layers")) {
                    layerNames.add(blobName(l.path("digest").asText("")));
                }
                add(cfg, layerNames, tags);
            }
        }

        /** The image manifest a descriptor names, choosing linux/amd64 from an index. */
        private JsonNode manifest(JsonNode desc, int depth) throws IOException {
            String digest = desc.path("digest").asText("");
            byte[] b = blob(digest);
            if (b == null) {
                throw new InvalidArgumentException("invalid archive: manifest blob " + digest + " not found");
            }
            JsonNode m = parse(b, digest);
            if (!m.has("manifests")) {
                return m;
            }
            if (depth > 3) {
                throw new InvalidArgumentException("invalid archive: indexes nested too deep");
            }
            JsonNode pick = null;
            for (JsonNode c : m.path("manifests")) {
                JsonNode p = c.path("platform");
                if (p.path("os").asText("linux").equals("linux") && p.path("architecture").asText("amd64").equals("amd64")) {
                    pick = c;
                    break;
                }
            }
            if (pick == null) {
                throw new InvalidArgumentException("invalid archive: no linux/amd64 image in index " + digest);
            }
            return manifest(pick, depth + 1);
        }

        private void add(byte[] cfg, List<String> layerNames, List<String> tags) throws IOException {
            Digest id = Digest.of(cfg);
            for (Plan p : plans) {
                if (p.id().equals(id)) {
                    p.tags().addAll(tags.stream().filter(t -> !p.tags().contains(t)).toList());
                    return;
                }
            }
            ImageConfig parsed;
            try {
                parsed = Json.mapper().readValue(cfg, ImageConfig.class);
            } catch (IOException e) {
                throw new InvalidArgumentException("invalid archive: image config " + id + ": " + e.getMessage(), e);
            }
            List<String> diffIds = parsed.rootfs() == null || parsed.rootfs().diffIds() == null ? List.of()
                    : parsed.rootfs().diffIds();
            if (diffIds.size() != layerNames.size()) {
                throw new InvalidArgumentException("invalid manifest, layers length mismatch: expected "
                        + diffIds.size() + ", got " + layerNames.size());
            }
            List<String> resolved = new ArrayList<>();
            for (int i = 0; i < layerNames.size(); i++) {
                String n = resolve(layerNames.get(i));
                LayerStore.Staged s = n == null ? null : staged.get(n);
                if (s == null) {
                    throw new InvalidArgumentException("invalid archive: layer " + layerNames.get(i) + " not found");
                }
                if (!s.diffId().equals(diffIds.get(i))) {
                    throw new InvalidArgumentException("invalid diffID for layer " + i + ": expected \""
                            + diffIds.get(i) + "\", got \"" + s.diffId() + "\"");
                }
                resolved.add(n);
            }
            plans.add(new Plan(id, cfg, parsed, resolved, new ArrayList<>(tags)));
        }

        @Override
        public List<Digest> apply(boolean quiet, Consumer<ProgressMessage> progress) throws IOException {
            List<Digest> loaded = new ArrayList<>();
            Map<String, String> committedByDiff = new HashMap<>();
            long now = Instant.now().getEpochSecond();
            try (LayerStore.Pin pin = layers.pin()) {
                for (Plan p : plans) {
                    List<LayerStore.Staged> chain = new ArrayList<>();
                    List<String> parents = new ArrayList<>();
                    List<LayerStore.Staged> restaged = new ArrayList<>();
                    List<Boolean> present = new ArrayList<>();
                    List<String> chains = new ArrayList<>();
                    long size = 0;
                    String parent = null;
                    try {
                        for (String n : p.layerNames()) {
                            LayerStore.Staged s = staged.get(n);
                            String chainId = LayerStore.chainId(parent, s.diffId());
                            if (layers.get(chainId).isEmpty() && !Files.exists(s.dir())) {
                                // its files went to another chain of this archive: unpack them again
                                String from = committedByDiff.get(s.diffId());
                                try (InputStream in = layers.openTar(layers.get(from).orElseThrow())) {
                                    s = layers.stage(in);
                                }
                                restaged.add(s);
                            }
                            chain.add(s);
                            parents.add(parent);
                            present.add(layers.get(chainId).isPresent());
                            parent = chainId;
                        }
                        List<LayerStore.Layer> done = layers.commit(chain, parents);
                        for (int i = 0; i < done.size(); i++) {
                            LayerStore.Layer l = done.get(i);
                            LayerStore.Staged s = chain.get(i);
                            if (!quiet && !present.get(i)) {
                                progress.accept(ProgressMessage.progress(Digest.parse(s.diffId()).shortHex(),
                                        "Loading layer", s.size(), s.size(), null));
                            }
                            committedByDiff.putIfAbsent(l.diffId(), l.chainId());
                        }
                        for (LayerStore.Layer l : done) {
                            chains.add(l.chainId());
                            size += l.size();
                        }
                    } finally {
                        for (LayerStore.Staged s : restaged) {
                            layers.discard(s);
                        }
                    }
                    blobs.put(p.config());
                    images.put(new ImageRow(p.id(), created(p.parsed()), size, null, chains, List.of()), null, now);
                    for (String t : p.tags()) {
                        Optional<Digest> before = images.tag(t, p.id(), now);
                        if (before.isPresent() && !before.get().equals(p.id())) {
                            progress.accept(ProgressMessage.stream("The image " + t
                                    + " already exists, renaming the old one with ID " + before.get()
                                    + " to empty string\n"));
                        }
                        progress.accept(ProgressMessage.stream("Loaded image: " + t + "\n"));
                        events.publish("image", "load", p.id().toString(), Map.of("name", t));
                    }
                    if (p.tags().isEmpty()) {
                        progress.accept(ProgressMessage.stream("Loaded image ID: " + p.id() + "\n"));
                        events.publish("image", "load", p.id().toString(), Map.of("name", p.id().toString()));
                    }
                    loaded.add(p.id());
                }
            }
            return loaded;
        }

        @Override
        public void close() throws IOException {
            for (LayerStager st : unpacking.values()) {
                st.abort();
            }
            unpacking.clear();
            for (LayerStore.Staged s : staged.values()) {
                layers.discard(s);
            }
        }

        private byte[] file(String name) {
            String n = resolve(name);
            return n == null ? null : files.get(n);
        }

        private byte[] blob(String digest) {
            return digest.matches("sha256:[0-9a-f]{64}") ? file(blobName(digest)) : null;
        }

        private String resolve(String name) {
            String n = clean(name);
            for (int i = 0; n != null && links.containsKey(n) && i < 16; i++) {
                n = links.get(n);
            }
            return n;
        }
    }

    private static String blobName(String digest) {
        int colon = digest.indexOf(':');
        return "blobs/" + digest.substring(0, Math.max(colon, 0)) + "/" + digest.substring(colon + 1);
    }

    /** An archive name without {@code ./}, leading or doubled slashes; null when it climbs out. */
    static String clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
                continue;
            }
            parts.add(p);
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    private static String parent(String name) {
        int i = name.lastIndexOf('/');
        return i < 0 ? "" : name.substring(0, i);
    }

    private static boolean isJson(byte[] head) {
        for (byte b : head) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    /** A ustar header, or the zero block of an empty tar. */
    private static boolean isTar(byte[] head) {
        if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return true;
        }
        if (head.length < 512) {
            return false;
        }
        for (byte b : head) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(byte[] b, String what) {
        try {
            return Json.mapper().readTree(b);
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid archive: " + what + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long created(ImageConfig c) {
        try {
            return c.created() == null ? 0 : java.time.OffsetDateTime.parse(c.created()).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
