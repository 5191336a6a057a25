package dev.wharf.store.table;

import dev.wharf.base.id.Digest;
import dev.wharf.store.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images, their layers and their tags. The config blob itself lives in the blob store. An image is
 * known by its ID, the {@link Digest} of its config blob; the columns hold its text
 * {@code sha256:<hex>}, and an image without a parent has {@code ""} as its parent.
 */
public final class ImageTable {

    private final Database db;

    /** An image; {@code parent} is null when it has none. */
    public record ImageRow(Digest id, long created, long size, Digest parent, List<String> chainIds,
            List<String> tags) {
    }

    public ImageTable(Database db) {
        this.db = db;
    }

    /** Inserts the image (if new) and points {@code tag} at it (if not null), in one transaction. */
    public void put(ImageRow img, String tag, long now) {
        put(img, tag, now, c -> null);
    }

    /** {@link #put(ImageRow, String, long)}, running {@code more} in the same transaction. */
    public void put(ImageRow img, String tag, long now, Database.Work<?> more) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO images(id, created, size, parent) VALUES (?,?,?,?)")) {
                ps.setString(1, img.id().toString());
                ps.setLong(2, img.created());
                ps.setLong(3, img.size());
                ps.setString(4, img.parent() == null ? "" : img.parent().toString());
                if (ps.executeUpdate() == 1) {
                    try (PreparedStatement l = c.prepareStatement(
                            "INSERT INTO image_layers(image_id, idx, chain_id) VALUES (?,?,?)")) {
                        for (int i = 0; i < img.chainIds().size(); i++) {
                            l.setString(1, img.id().toString());
                            l.setInt(2, i);
                            l.setString(3, img.chainIds().get(i));
                            l.addBatch();
                        }
                        l.executeBatch();
                    }
                }
            }
            if (tag != null) {
                tag(c, tag, img.id(), now);
            }
            more.run(c);
            return null;
        });
    }

    /** Points {@code ref} at {@code imageId}; returns the image it pointed at before, if any. */
    public Optional<Digest> tag(String ref, Digest imageId, long now) {
        return db.write(c -> tag(c, ref, imageId, now));
    }

    private static Optional<Digest> tag(Connection c, String ref, Digest imageId, long now) throws SQLException {
        Optional<Digest> before = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT image_id FROM tags WHERE ref = ?")) {
            ps.setString(1, ref);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    before = Optional.of(Digest.parse(rs.getString(1)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tags(ref, image_id, tagged_at) VALUES (?,?,?) "
                        + "ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id, tagged_at = excluded.tagged_at")) {
            ps.setString(1, ref);
            ps.setString(2, imageId.toString());
            ps.setLong(3, now);
            ps.executeUpdate();
        }
        return before;
    }

    public boolean untag(String ref) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tags WHERE ref = ?")) {
                ps.setString(1, ref);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Deletes an image row with its layer list; its tags must be gone already. */
    public void delete(Digest id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE id = ?")) {
                ps.setString(1, id.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Digest> byTag(String ref) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT image_id FROM tags WHERE ref = ?")) {
                ps.setString(1, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** IDs starting with {@code sha256:<prefix>}. */
    public List<Digest> idsWithPrefix(String hexPrefix) {
        return db.read(c -> {
            List<Digest> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images WHERE id >= ? AND id < ?")) {
                ps.setString(1, "sha256:" + hexPrefix);
                ps.setString(2, "sha256:" + hexPrefix + "\uffff");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Digest.parse(rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    public Optional<ImageRow> get(Digest id) {
        return db.read(c -> get(c, id));
    }

    public List<ImageRow> list() {
        return db.read(c -> {
            List<Digest> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images ORDER BY created DESC");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Digest.parse(rs.getString(1)));
                }
            }
            List<ImageRow> out = new ArrayList<>();
            for (Digest id : ids) {
                get(c, id).ifPresent(out::add);
            }
            return out;
        });
    }

    /** How many containers use the image; {@code runningOnly} counts those not exited or created. */
    public int containersUsing(Digest imageId, boolean runningOnly) {
        return db.read(c -> {
            String sql = "SELECT count(*) FROM containers WHERE image_id = ?"
                    + (runningOnly ? " AND status IN ('running','paused','restarting')" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, imageId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private static Optional<ImageRow> get(Connection c, Digest id) throws SQLException {
        long created;
        long size;
        String parent;
        try (PreparedStatement ps = c.prepareStatement("SELECT created, size, parent FROM images WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                created = rs.getLong(1);
                size = rs.getLong(2);
                parent = rs.getString(3);
            }
        }
        List<String> chains = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT chain_id FROM image_layers WHERE image_id = ? ORDER BY idx")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chains.add(rs.getString(1));
                }
            }
        }
        List<String> tags = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ref FROM tags WHERE image_id = ? ORDER BY ref")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.add(rs.getString(1));
                }
            }
        }
        return Optional.of(new ImageRow(id, created, size, parent == null || parent.isEmpty() ? null
                : Digest.parse(parent), chains, tags));
    }
}
