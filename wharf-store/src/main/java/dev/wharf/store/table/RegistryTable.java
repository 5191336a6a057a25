package dev.wharf.store.table;

import dev.wharf.base.id.Digest;
import dev.wharf.store.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What images keep of the registries they came from or went to: compressed layer blobs, image
 * manifests, repo digests and blob sources (schema in {@code V005__registry.sql}).
 */
public final class RegistryTable {

    private final Database db;

    /** A compressed form of a layer, as a manifest names it. */
    public record LayerBlob(String diffId, String digest, String mediaType, long size) {
    }

    /** A manifest an image was pulled or pushed with. */
    public record ImageManifest(String digest, String mediaType) {
    }

    public RegistryTable(Database db) {
        this.db = db;
    }

    public void addLayerBlob(LayerBlob b) {
        db.write(c -> {
            addLayerBlob(c, b);
            return null;
        });
    }

    public static void addLayerBlob(Connection c, LayerBlob b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO layer_blobs(diff_id, digest, media_type, size) VALUES (?,?,?,?)")) {
            ps.setString(1, b.diffId());
            ps.setString(2, b.digest());
            ps.setString(3, b.mediaType());
            ps.setLong(4, b.size());
            ps.executeUpdate();
        }
    }

    /** The compressed forms kept for a layer (diff ID). */
    public List<LayerBlob> layerBlobs(String diffId) {
        return db.read(c -> {
            List<LayerBlob> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT diff_id, digest, media_type, size FROM layer_blobs WHERE diff_id = ? ORDER BY rowid")) {
                ps.setString(1, diffId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LayerBlob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    /** The layer a compressed blob holds, if known. */
    public Optional<LayerBlob> byBlob(String digest) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT diff_id, digest, media_type, size FROM layer_blobs WHERE digest = ? LIMIT 1")) {
                ps.setString(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new LayerBlob(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4))) : Optional.empty();
                }
            }
        });
    }

    public static void addManifest(Connection c, Digest imageId, ImageManifest m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO image_manifests(image_id, digest, media_type) VALUES (?,?,?)")) {
            ps.setString(1, imageId.toString());
            ps.setString(2, m.digest());
            ps.setString(3, m.mediaType());
            ps.executeUpdate();
        }
    }

    public void addManifest(Digest imageId, ImageManifest m) {
        db.write(c -> {
            addManifest(c, imageId, m);
            return null;
        });
    }

    public List<ImageManifest> manifests(Digest imageId) {
        return db.read(c -> {
            List<ImageManifest> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT digest, media_type FROM image_manifests WHERE image_id = ? ORDER BY rowid")) {
                ps.setString(1, imageId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ImageManifest(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Points {@code repo@digest} at the image (a repo digest names one image at a time). */
    public static void putRepoDigest(Connection c, String repo, String digest, Digest imageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO repo_digests(ref, image_id, digest) VALUES (?,?,?) "
                + "ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id")) {
            ps.setString(1, repo + "@" + digest);
            ps.setString(2, imageId.toString());
            ps.setString(3, digest);
            ps.executeUpdate();
        }
    }

    public void putRepoDigest(String repo, String digest, Digest imageId) {
        db.write(c -> {
            putRepoDigest(c, repo, digest, imageId);
            return null;
        });
    }

    public void deleteRepoDigest(String ref) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM repo_digests WHERE ref = ?")) {
                ps.setString(1, ref);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** {@code repo@sha256:…} of an image, sorted. */
    public List<String> repoDigests(Digest imageId) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ref FROM repo_digests WHERE image_id = ? ORDER BY ref")) {
                ps.setString(1, imageId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** The image a {@code repo@sha256:…} names. */
    public Optional<Digest> byRepoDigest(String ref) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT image_id FROM repo_digests WHERE ref = ?")) {
                ps.setString(1, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    public void addSource(String digest, String registry, String repository) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO blob_sources(digest, registry, repository) VALUES (?,?,?)")) {
                ps.setString(1, digest);
                ps.setString(2, registry);
                ps.setString(3, repository);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** {@link #addSource} for several blobs in one transaction. */
    public void addSources(java.util.Collection<String> digests, String registry, String repository) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO blob_sources(digest, registry, repository) VALUES (?,?,?)")) {
                for (String digest : digests) {
                    ps.setString(1, digest);
                    ps.setString(2, registry);
                    ps.setString(3, repository);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Repositories of {@code registry} known to hold {@code digest}. */
    public List<String> sources(String digest, String registry) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT repository FROM blob_sources WHERE digest = ? AND registry = ? ORDER BY rowid")) {
                ps.setString(1, digest);
                ps.setString(2, registry);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Forgets the compressed forms of layers no longer in the store and the sources of blobs no
     * longer kept; returns the digests still referenced: image configs, manifests, repo digests
     * and the compressed layers of present layers.
     */
    public Set<String> sweepAndReferenced() {
        return db.write(c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("DELETE FROM layer_blobs WHERE diff_id NOT IN (SELECT diff_id FROM layers)");
            }
            Set<String> keep = new HashSet<>();
            for (String q : List.of("SELECT id FROM images", "SELECT digest FROM image_manifests",
                    "SELECT digest FROM repo_digests", "SELECT digest FROM layer_blobs")) {
                try (var s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
                    while (rs.next()) {
                        keep.add(rs.getString(1));
                    }
                }
            }
            try (var s = c.createStatement()) {
                s.executeUpdate("DELETE FROM blob_sources WHERE digest NOT IN (SELECT digest FROM layer_blobs)");
            }
            return keep;
        });
    }
}
