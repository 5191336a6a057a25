package dev.wharf.store.table;

import dev.wharf.base.id.Digest;
import dev.wharf.store.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The build step cache: cache key → image ID (schema in {@code V010__build_cache.sql}). */
public final class BuildCacheTable {

    private final Database db;

    public BuildCacheTable(Database db) {
        this.db = db;
    }

    public Optional<Digest> get(String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT image_id FROM build_cache WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Records (or moves) a key to an image that is already in the images table. */
    public void put(String key, Digest imageId, long now) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO build_cache(key, image_id, created, last_used) VALUES (?,?,?,?) "
                            + "ON CONFLICT(key) DO UPDATE SET image_id = excluded.image_id, "
                            + "last_used = excluded.last_used")) {
                ps.setString(1, key);
                ps.setString(2, imageId.toString());
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Images some cache row points at. */
    public List<Digest> imageIds() {
        return db.read(c -> {
            List<Digest> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT image_id FROM build_cache");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Digest.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }

    public void deleteAll() {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM build_cache")) {
                ps.executeUpdate();
            }
            return null;
        });
    }
}
