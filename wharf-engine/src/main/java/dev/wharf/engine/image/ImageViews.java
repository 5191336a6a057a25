package dev.wharf.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.Digest;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.model.Json;
import dev.wharf.model.image.ImageConfigView;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.model.image.ImageSummary;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import dev.wharf.store.table.RegistryTable;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Images as the API lists and inspects them: {@code GET /images/json} with moby's filters, and
 * {@code GET /images/{name}/json}, read from the image and container tables and the config blobs.
 */
final class ImageViews {

    private final ImageTable images;
    private final ContainerTable containers;
    private final BlobStore blobs;
    private final RegistryTable registry;
    private final Function<String, ImageService.Resolved> resolve;
    private final Function<Digest, ImageConfig> config;

    ImageViews(ImageTable images, ContainerTable containers, BlobStore blobs, RegistryTable registry,
            Function<String, ImageService.Resolved> resolve, Function<Digest, ImageConfig> config) {
        this.images = images;
        this.containers = containers;
        this.blobs = blobs;
        this.registry = registry;
        this.resolve = resolve;
        this.config = config;
    }

    /** {@code GET /images/json}, filtered as moby's {@code daemon/images/images.go} does. */
    List<ImageSummary> list(boolean all, Filters filters, boolean v143) {
        filters.only(Set.of("reference", "dangling", "label", "before", "since", "until"));
        boolean danglingOnly = filters.bool("dangling", false);
        long before = Long.MAX_VALUE;
        for (String b : filters.get("before")) {
            before = Math.min(before, images.get(resolve.apply(b).id()).orElseThrow().created());
        }
        for (String u : filters.get("until")) {
            before = Math.min(before, Times.parseTimestamp(u).getEpochSecond());
        }
        long since = Long.MIN_VALUE;
        for (String x : filters.get("since")) {
            since = Math.max(since, images.get(resolve.apply(x).id()).orElseThrow().created());
        }
        Map<String, Long> uses = new HashMap<>(); // by the image ID text a container row keeps
        for (var c : containers.list()) {
            uses.merge(c.imageId(), 1L, Long::sum);
        }
        List<ImageRow> rows = images.list();
        Set<Digest> parents = new java.util.HashSet<>();
        rows.forEach(r -> parents.add(r.parent()));
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRow row : rows) {
            if (danglingOnly && parents.contains(row.id()) || row.created() >= before || row.created() <= since) {
                continue;
            }
            ImageConfig cfg = config.apply(row.id());
            Map<String, String> labels = cfg.config() == null || cfg.config().labels() == null ? Map.of()
                    : cfg.config().labels();
            if (!filters.labelsMatch(labels)) {
                continue;
            }
            List<String> tags = row.tags();
            if (filters.contains("reference")) {
                tags = tags.stream().filter(t -> referenceMatches(filters.get("reference"), t)).toList();
            }
            if (tags.isEmpty()) {
                // Untagged: shown when it is a head (or all), unless dangling=false or a reference is asked.
                if (!all && parents.contains(row.id()) || filters.contains("dangling") && !danglingOnly
                        || filters.contains("reference")) {
                    continue;
                }
            } else if (danglingOnly) {
                continue;
            }
            List<String> shownTags = tags.isEmpty() && !v143 ? List.of("<none>:<none>") : tags;
            List<String> digests = registry.repoDigests(row.id());
            if (digests.isEmpty() && tags.isEmpty() && !v143) {
                digests = List.of("<none>@<none>");
            }
            out.add(new ImageSummary(uses.getOrDefault(row.id().toString(), 0L), row.created(), row.id().toString(),
                    labels, parentText(row), digests, shownTags, -1, row.size(), null));
        }
        return out;
    }

    /**
     * Docker's {@code reference} filter ({@code reference.FamiliarMatch}): the glob matches the
     * familiar reference with its tag, or else its name alone.
     */
    static boolean referenceMatches(List<String> patterns, String tagged) {
        String repo = tagged.substring(0, tagged.lastIndexOf(':'));
        for (String p : patterns) {
            PathMatcher m;
            try {
                m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("syntax error in pattern");
            }
            if (m.matches(Path.of(tagged)) || m.matches(Path.of(repo))) {
                return true;
            }
        }
        return false;
    }

    ImageInspect inspect(String name, boolean v144) {
        ImageService.Resolved r = resolve.apply(name);
        ImageRow row = images.get(r.id()).orElseThrow();
        ImageConfig cfg = r.config();
        ImageConfig.RunConfig rc = cfg.config() == null ? ImageConfig.RunConfig.empty() : cfg.config();
        ImageConfigView view = new ImageConfigView("", "", nz(rc.user()), false, false, false, rc.exposedPorts(),
                false, false, false, rc.env(), rc.cmd(), rc.healthcheck(), "", rc.volumes(), nz(rc.workingDir()),
                rc.entrypoint(), rc.onBuild(), rc.labels(), rc.stopSignal(), rc.shell());
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Name", "overlay2");
        graph.put("Data", null);
        JsonNode raw = rawConfig(r.id());
        ImageConfigView containerConfig = raw.hasNonNull("container_config")
                ? Json.mapper().convertValue(raw.get("container_config"), ImageConfigView.class)
                : new ImageConfigView("", "", "", false, false, false, null, false, false, false, null, null, null,
                        "", null, "", null, null, null, null, null);
        return new ImageInspect(r.id().toString(), row.tags(), registry.repoDigests(r.id()), parentText(row),
                nz(cfg.comment()), cfg.created() == null ? Times.ZERO : cfg.created(), raw.path("container").asText(""),
                containerConfig, "", nz(cfg.author()), view,
                nz(cfg.architecture()), nz(cfg.os()), row.size(), v144 ? null : row.size(), graph,
                new ImageInspect.RootFs("layers", cfg.rootfs() == null ? List.of() : cfg.rootfs().diffIds()),
                Map.of("LastTagTime", Times.ZERO));
    }

    /** The image's config blob as JSON, for fields the typed config does not keep. */
    private JsonNode rawConfig(Digest id) {
        try {
            byte[] b = blobs.get(id).orElseThrow(
                    () -> new InternalException("image config blob missing for " + id));
            return Json.mapper().readTree(b);
        } catch (IOException e) {
            throw new InternalException("cannot read image config " + id + ": " + e.getMessage(), e);
        }
    }

    /** The parent's ID as the API shows it: {@code ""} for none. */
    private static String parentText(ImageRow row) {
        return row.parent() == null ? "" : row.parent().toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
