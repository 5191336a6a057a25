package dev.wharf.cli.format;

import dev.wharf.model.image.ImageSummary;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The rows of {@code wharf images}: one per repository tag, {@code <none>} when untagged. */
public final class ImageRows {

    public static final String DEFAULT_TABLE =
            "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("Repository", "REPOSITORY"), Map.entry("Tag", "TAG"), Map.entry("ID", "IMAGE ID"),
            Map.entry("Digest", "DIGEST"), Map.entry("CreatedSince", "CREATED"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("Size", "SIZE"), Map.entry("Containers", "CONTAINERS"), Map.entry("SharedSize", "SHARED SIZE"),
            Map.entry("UniqueSize", "UNIQUE SIZE"), Map.entry("VirtualSize", "VIRTUAL SIZE"));

    private ImageRows() {
    }

    public static List<Map<String, Object>> rows(ImageSummary img, boolean trunc, Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> tags = img.repoTags() == null ? List.of() : img.repoTags().stream()
                .filter(t -> !t.equals("<none>:<none>")).toList();
        if (tags.isEmpty()) {
            String repo = "<none>";
            if (img.repoDigests() != null && !img.repoDigests().isEmpty()) {
                String d = img.repoDigests().getFirst();
                int at = d.indexOf('@');
                repo = at > 0 ? d.substring(0, at) : repo;
            }
            out.add(row(img, repo, "<none>", trunc, now));
        }
        for (String t : tags) {
            int colon = t.lastIndexOf(':');
            boolean hasTag = colon > t.lastIndexOf('/');
            out.add(row(img, hasTag ? t.substring(0, colon) : t, hasTag ? t.substring(colon + 1) : "<none>", trunc,
                    now));
        }
        return out;
    }

    private static Map<String, Object> row(ImageSummary img, String repo, String tag, boolean trunc, Instant now) {
        Map<String, Object> m = new TreeMap<>();
        m.put("Repository", repo);
        m.put("Tag", tag);
        m.put("ID", shortId(img.id(), trunc));
        m.put("Digest", digest(img, repo));
        m.put("CreatedSince", Units.ago(img.created(), now));
        m.put("CreatedAt", ContainerRows.GO_TIME.format(Instant.ofEpochSecond(img.created())
                .atZone(ZoneId.systemDefault())));
        m.put("Size", Units.humanSize(img.size(), 3));
        m.put("Containers", img.containers() < 0 ? "N/A" : Long.toString(img.containers()));
        m.put("SharedSize", img.sharedSize() < 0 ? "N/A" : Units.humanSize(img.sharedSize(), 3));
        m.put("UniqueSize", img.sharedSize() < 0 ? "N/A" : Units.humanSize(img.size() - img.sharedSize(), 3));
        m.put("VirtualSize", Units.humanSize(img.virtualSize() == null ? img.size() : img.virtualSize(), 3));
        return m;
    }

    public static String shortId(String id, boolean trunc) {
        if (id == null) {
            return "";
        }
        if (!trunc) {
            return id;
        }
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private static String digest(ImageSummary img, String repo) {
        if (img.repoDigests() != null) {
            for (String d : img.repoDigests()) {
                int at = d.indexOf('@');
                if (at > 0 && d.substring(0, at).equals(repo)) {
                    return d.substring(at + 1);
                }
            }
        }
        return "<none>";
    }
}
