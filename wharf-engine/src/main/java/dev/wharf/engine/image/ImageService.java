package dev.wharf.engine.image;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.model.image.DeleteItem;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.model.image.ImageSummary;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import dev.wharf.store.table.RegistryTable;
import dev.wharf.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Images: import, load, save, pull, push, resolve, list, inspect, tag and remove. Pull and push
 * need no HTTP request: the builder and the API call {@link #pull(PullRequest, ProgressListener)}
 * and {@link #push(PushRequest, ProgressListener)} alike.
 */
public final class ImageService implements AutoCloseable {

    private final ImageTable images;
    private final ContainerTable containers;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final EventService events;
    private final Map<Digest, ImageConfig> configCache = new ConcurrentHashMap<>();
    private final ImageViews views;

    /** An image found by name or ID. */
    public record Resolved(Digest id, ImageConfig config, List<String> chainIds) {
    }

    public ImageService(ImageTable images, ContainerTable containers, BlobStore blobs, LayerStore layers,
            EventService events, RegistryTable registry, RegistryClient registryClient) {
        this.images = images;
        this.registry = registry;
        this.registryClient = registryClient;
        this.views = new ImageViews(images, containers, blobs, registry, this::resolve, this::config);
        this.transfers = new Transfers(blobs, layers, registryClient.options().maxConcurrentDownloads());
        this.puller = new PullOperation(images, registry, blobs, layers, events, registryClient, transfers);
        this.compressors = compressionPool();
        this.idle = new IdleCollector(layers.chunks()::clear);
        this.pusher = new PushOperation(this, images, registry, blobs, layers, events, registryClient, compressors);
        this.containers = containers;
        this.blobs = blobs;
        this.layers = layers;
        this.events = events;
        this.loader = new ImageLoader(images, blobs, layers, events);
        this.saver = new ImageSaver(this, images, blobs, layers, events, registry);
        this.historian = new ImageHistory(this, images, layers);
        this.pruner = new ImagePruner(this, images, blobs, layers, events);
        this.committer = new ImageCommitter(this, images, blobs, layers, events);
    }

    // ---- load, save, history, prune, commit (issue 3): the work is in the package-private classes ----

    private final RegistryTable registry;
    private final RegistryClient registryClient;
    private final Transfers transfers;
    private final PullOperation puller;
    private final PushOperation pusher;

    /**
     * {@code docker pull}: fetches the image (every tag with {@code allTags}) and reports Docker's
     * progress messages to {@code progress}. Errors before the first message (unknown manifest,
     * denied, unreachable registry) are thrown as their categories, with Docker's wording.
     */
    public PullResult pull(PullRequest req, ProgressListener progress) {
        try (IdleCollector.Work w = idle.busy()) {
            PullResult r = puller.pull(req, progress);
            if (!r.updated()) {
                w.light();
            }
            return r;
        }
    }

    /** Heavy work done outside this service; {@link ImageService#heavyWork()}. */
    public interface HeavyWork extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks heavy work that runs elsewhere (a build: its context, its COPY and RUN layers): the
     * heap is watched while it runs, and the memory it needed is given back once all heavy work
     * has ended, as after a pull or a load. Close it when the work ends.
     */
    public HeavyWork heavyWork() {
        return idle.busy()::close;
    }

    /** {@code docker push}: uploads the image's tag (every tag of the repository when none is given). */
    public List<PushResult> push(PushRequest req, ProgressListener progress) {
        try (IdleCollector.Work w = idle.busy()) {
            return pusher.push(req, progress);
        }
    }

    /** {@code docker login}: checks the credentials against the registry; a refusal is a 401 with its reason. */
    public RegistryClient.Login login(String serverAddress, dev.wharf.registry.auth.Credentials creds) {
        try {
            return registryClient.login(serverAddress, creds);
        } catch (dev.wharf.registry.RegistryException e) {
            throw RegistryErrors.login(e);
        }
    }

    /** {@code GET /distribution/{name}/json}: the registry's descriptor and platforms of a reference. */
    public DistributionInspect distributionInspect(String name, dev.wharf.registry.auth.Credentials creds) {
        return DistributionInspect.of(registryClient, name, creds);
    }

    /** {@code RegistryConfig} of {@code /info}: the daemon's insecure registries and mirrors. */
    public Map<String, Object> registryConfig() {
        return registryClient.options().serviceConfig();
    }

    /** Frees the blobs no image references any more; returns the bytes freed. */
    long collectBlobs() throws IOException {
        return blobs.collect(registry.sweepAndReferenced());
    }

    @Override
    public void close() {
        transfers.close();
        compressors.shutdownNow();
    }

    /** One compression thread per core, shared by every push; idle threads end after 30 s. */
    private static java.util.concurrent.ThreadPoolExecutor compressionPool() {
        int n = Runtime.getRuntime().availableProcessors();
        var pool = new java.util.concurrent.ThreadPoolExecutor(n, n, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "layer-compress");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private final java.util.concurrent.ThreadPoolExecutor compressors;
    private final IdleCollector idle;

    private final ImageLoader loader;
    private final ImageSaver saver;
    private final ImageHistory historian;
    private final ImagePruner pruner;
    private final ImageCommitter committer;

    /** A {@code docker load} read and checked, its layers unpacked but not registered; close() drops them. */
    public interface PreparedLoad extends AutoCloseable {
        /** Registers the layers and images; returns the image IDs loaded. */
        List<Digest> apply(boolean quiet, Consumer<ProgressMessage> progress) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A {@code docker save} whose names all resolved. */
    public interface PreparedSave {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /** What {@code docker commit} makes: a layer tar on top of the parent image, with this config. */
    public record CommitRequest(Digest parentImageId, Path layerTar, ImageConfig.RunConfig config, String author,
            String comment, String createdBy, String repo, String tag) {
    }

    /** Reads a docker-archive or OCI layout; bad input throws before anything changes. */
    public PreparedLoad prepareLoad(InputStream archive) throws IOException {
        IdleCollector.Work w = idle.busy();
        PreparedLoad p;
        try {
            p = loader.prepare(archive);
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return new PreparedLoad() {
            @Override
            public List<Digest> apply(boolean quiet, Consumer<ProgressMessage> progress) throws IOException {
                return p.apply(quiet, progress);
            }

            @Override
            public void close() throws IOException {
                try {
                    p.close();
                } finally {
                    w.close();
                }
            }
        };
    }

    public PreparedSave prepareSave(List<String> names) {
        PreparedSave p = saver.prepare(names);
        return out -> {
            try (IdleCollector.Work w = idle.busy()) {
                p.writeTo(out);
            }
        };
    }

    public List<dev.wharf.model.image.HistoryItem> history(String name) {
        return historian.history(name);
    }

    public dev.wharf.model.image.ImagePruneResponse prune(Filters filters) throws IOException {
        return pruner.prune(filters);
    }

    /** Validates a {@code repo}/{@code tag} pair before work is done for it. */
    public static void checkReference(String repo, String tag) {
        if (repo != null && !repo.isEmpty()) {
            ImageRef.parse(repo, tag);
        }
    }

    public Digest commit(CommitRequest req) throws IOException {
        try (IdleCollector.Work w = idle.busy()) {
            return committer.commit(req);
        }
    }

    /** Applies {@code --change} instructions to a run config. */
    public static ImageConfig.RunConfig applyChanges(ImageConfig.RunConfig base, List<String> changes) {
        return ImageChanges.apply(base, changes);
    }

    /** Every image row, for disk usage. */
    public List<ImageRow> rows() {
        return images.list();
    }

    public long layerSize(String chainId) {
        return layers.get(chainId).map(LayerStore.Layer::size).orElse(0L);
    }

    /** {@code docker import}: one layer from a rootfs tar, a config from {@code changes}. */
    public Digest importImage(InputStream tar, String repo, String tag, List<String> changes, String message,
            Consumer<ProgressMessage> progress) throws IOException {
        try (IdleCollector.Work w = idle.busy()) {
            return importLayer(tar, repo, tag, changes, message, progress);
        }
    }

    private Digest importLayer(InputStream tar, String repo, String tag, List<String> changes, String message,
            Consumer<ProgressMessage> progress) throws IOException {
        ImageRef ref = repo == null || repo.isEmpty() ? null : ImageRef.parse(repo, tag);
        ImageConfig.RunConfig run = ImageChanges.apply(null, changes);
        LayerStore.Layer layer = layers.register(tar, null);
        Instant now = Instant.now();
        String created = Times.rfc3339(now);
        ImageConfig cfg = new ImageConfig("amd64", null, message == null || message.isEmpty() ? null : message, run,
                created, List.of(new ImageConfig.History(created, null, null,
                        message == null || message.isEmpty() ? "Imported from -" : message, null)),
                "linux", new ImageConfig.RootFs("layers", List.of(layer.diffId())));
        byte[] json = Json.mapper().writeValueAsBytes(cfg);
        Digest id = blobs.put(json);
        images.put(new ImageRow(id, now.getEpochSecond(), layer.size(), null, List.of(layer.chainId()),
                List.of()), ref == null ? null : ref.toString(), now.getEpochSecond());
        progress.accept(ProgressMessage.status(id.toString()));
        events.publish("image", "import", id.toString(), Map.of("name", ref == null ? id.toString() : ref.toString()));
        return id;
    }

    /** Finds an image by reference, full ID or unique ID prefix; {@code No such image: X} otherwise. */
    public Resolved resolve(String nameOrId) {
        Digest id = findId(nameOrId).orElseThrow(() -> new NotFoundException("No such image: " + nameOrId));
        ImageRow row = images.get(id).orElseThrow(() -> new NotFoundException("No such image: " + nameOrId));
        return new Resolved(id, config(id), row.chainIds());
    }

    /** The image with this ID; {@code No such image: sha256:…} when there is none. */
    public Resolved resolve(Digest id) {
        ImageRow row = images.get(id).orElseThrow(() -> new NotFoundException("No such image: " + id));
        return new Resolved(id, config(id), row.chainIds());
    }

    /** The ID of the image {@code s} names: a reference, a full ID or a unique ID prefix. */
    public Optional<Digest> findId(String s) {
        if (s == null || s.isEmpty()) {
            return Optional.empty();
        }
        String hex = s.startsWith("sha256:") ? s.substring(7) : s;
        if (hex.matches("[0-9a-f]{64}")) {
            return images.get(new Digest(hex)).map(ImageRow::id);
        }
        if (s.contains("@sha256:")) {
            try {
                dev.wharf.registry.Reference r = dev.wharf.registry.Reference.parse(s);
                return registry.byRepoDigest(r.familiarName() + "@" + r.digest());
            } catch (InvalidArgumentException notAReference) {
                return Optional.empty();
            }
        }
        try {
            Optional<Digest> byTag = images.byTag(ImageRef.parse(s).toString());
            if (byTag.isPresent()) {
                return byTag;
            }
        } catch (InvalidArgumentException notAReference) {
            // may still be an ID prefix
        }
        if (hex.matches("[0-9a-f]{1,63}")) {
            List<Digest> ids = images.idsWithPrefix(hex);
            if (ids.size() == 1) {
                return Optional.of(ids.get(0));
            }
        }
        return Optional.empty();
    }

    public ImageConfig config(Digest id) {
        return configCache.computeIfAbsent(id, k -> {
            try {
                byte[] b = blobs.get(k).orElseThrow(
                        () -> new InternalException("image config blob missing for " + k));
                return Json.mapper().readValue(b, ImageConfig.class);
            } catch (IOException e) {
                throw new InternalException("cannot read image config " + k + ": " + e.getMessage(), e);
            }
        });
    }

    public List<String> tagsOf(Digest id) {
        return images.get(id).map(ImageRow::tags).orElse(List.of());
    }

    /** The ID of the image {@code nameOrId} names and of every image built on it; empty if none. */
    public Set<Digest> withChildren(String nameOrId) {
        Set<Digest> out = new java.util.HashSet<>();
        findId(nameOrId).ifPresent(out::add);
        List<ImageRow> rows = images.list();
        for (boolean grew = !out.isEmpty(); grew;) {
            grew = false;
            for (ImageRow r : rows) {
                if (r.parent() != null && out.contains(r.parent()) && out.add(r.id())) {
                    grew = true;
                }
            }
        }
        return out;
    }

    /** {@code GET /images/json}, filtered as moby's {@code daemon/images/images.go} does. */
    public List<ImageSummary> list(boolean all, Filters filters, boolean v143) {
        return views.list(all, filters, v143);
    }

    public ImageInspect inspect(String name, boolean v144) {
        return views.inspect(name, v144);
    }

    public void tag(String source, String repo, String tag) {
        Resolved r = resolve(source);
        if (repo == null || repo.isEmpty()) {
            throw new InvalidArgumentException("repository name must have at least one component");
        }
        ImageRef ref = ImageRef.parse(repo, tag);
        images.tag(ref.toString(), r.id(), Instant.now().getEpochSecond());
        events.publish("image", "tag", r.id().toString(), Map.of("name", ref.toString()));
    }

    /** {@code docker rmi}, with Docker's conflict rules. */
    public List<DeleteItem> remove(String name, boolean force, boolean noPrune) throws IOException {
        Resolved r = resolve(name);
        ImageRow row = images.get(r.id()).orElseThrow();
        String shortId = r.id().shortHex();
        var users = containers.list().stream().filter(c -> c.imageId().equals(r.id().toString())).toList();
        var running = users.stream().filter(c -> !c.status().equals("exited") && !c.status().equals("created"))
                .findFirst();
        List<DeleteItem> out = new ArrayList<>();
        boolean byId = isIdLike(name, r.id());
        if (!byId && name.contains("@")) {
            dev.wharf.registry.Reference dr = dev.wharf.registry.Reference.parse(name);
            String ref = dr.familiarName() + "@" + dr.digest();
            registry.deleteRepoDigest(ref);
            out.add(DeleteItem.untagged(ref));
            events.publish("image", "untag", r.id().toString(), Map.of("name", ref));
            if (row.tags().isEmpty() && registry.repoDigests(r.id()).isEmpty() && users.isEmpty()) {
                deleteImage(r.id(), out, noPrune);
            }
            return out;
        }
        if (!byId) {
            String ref = ImageRef.parse(name).toString();
            if (row.tags().size() > 1 || (users.isEmpty())) {
                images.untag(ref);
                out.add(DeleteItem.untagged(ref));
                events.publish("image", "untag", r.id().toString(), Map.of("name", ref));
                if (row.tags().size() == 1) {
                    deleteImage(r.id(), out, noPrune);
                }
                return out;
            }
            if (!force) {
                throw new ConflictException("conflict: unable to remove repository reference \"" + name
                        + "\" (must force) - container " + users.get(0).id().substring(0, 12)
                        + " is using its referenced image " + shortId);
            }
            images.untag(ref);
            out.add(DeleteItem.untagged(ref));
            events.publish("image", "untag", r.id().toString(), Map.of("name", ref));
            return out;
        }
        if (images.list().stream().anyMatch(i -> r.id().equals(i.parent()))) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (cannot be forced) - image has dependent child images");
        }
        if (running.isPresent()) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (cannot be forced) - image is being used by running container "
                    + running.get().id().substring(0, 12));
        }
        if (!force && row.tags().size() > 1) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        if (!force && !users.isEmpty()) {
            throw new ConflictException("conflict: unable to delete " + shortId
                    + " (must be forced) - image is being used by stopped container "
                    + users.get(0).id().substring(0, 12));
        }
        for (String t : row.tags()) {
            images.untag(t);
            out.add(DeleteItem.untagged(t));
            events.publish("image", "untag", r.id().toString(), Map.of("name", t));
        }
        if (users.isEmpty()) {
            deleteImage(r.id(), out, noPrune);
        }
        return out;
    }

    private static boolean isIdLike(String name, Digest id) {
        String hex = name.startsWith("sha256:") ? name.substring(7) : name;
        return hex.matches("[0-9a-f]{1,64}") && id.hex().startsWith(hex);
    }

    /**
     * Deletes the image, then (unless {@code noPrune}) its parents that nothing else holds: no tag,
     * no digest, no other child, no container — the build steps under a built image, as Docker's
     * {@code rmi} removes them.
     */
    private void deleteImage(Digest id, List<DeleteItem> out, boolean noPrune) throws IOException {
        if (images.list().stream().anyMatch(i -> id.equals(i.parent()))) {
            return; // untagged only: an image others are built on stays, as Docker keeps it
        }
        Digest parent = images.get(id).map(ImageRow::parent).orElse(null);
        deleteImage(id, out);
        var containerImages = noPrune ? java.util.Set.<String>of()
                : containers.list().stream().map(c -> c.imageId()).collect(java.util.stream.Collectors.toSet());
        while (!noPrune && parent != null) {
            Digest p = parent;
            Optional<ImageRow> row = images.get(p);
            if (row.isEmpty() || !row.get().tags().isEmpty() || !registry.repoDigests(p).isEmpty()
                    || containerImages.contains(p.toString())
                    || images.list().stream().anyMatch(i -> p.equals(i.parent()))) {
                return;
            }
            parent = row.get().parent();
            deleteImage(p, out);
        }
    }

    private void deleteImage(Digest id, List<DeleteItem> out) throws IOException {
        for (String d : registry.repoDigests(id)) {
            out.add(DeleteItem.untagged(d));
        }
        images.delete(id);
        configCache.remove(id);
        blobs.delete(id);
        layers.collect();
        collectBlobs();
        out.add(DeleteItem.deleted(id.toString()));
        events.publish("image", "delete", id.toString(), Map.of("name", id.toString()));
    }

    public int count() {
        return images.list().size();
    }

}
