package dev.wharf.store.table;

import dev.wharf.store.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Volumes and which containers refer to them. Labels and options are JSON objects. */
public final class VolumeTable {

    private final Database db;

    public record VolumeRow(String name, String driver, String labels, String options, long createdNanos,
            boolean anonymous, boolean populated) {
    }

    public VolumeTable(Database db) {
        this.db = db;
    }

    /** Inserts the volume; false if one of that name exists. */
    public boolean insert(VolumeRow v) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO volumes(name, driver, labels, options, created, anonymous, populated) "
                            + "VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, v.name());
                ps.setString(2, v.driver());
                ps.setString(3, v.labels());
                ps.setString(4, v.options());
                ps.setLong(5, v.createdNanos());
                ps.setInt(6, v.anonymous() ? 1 : 0);
                ps.setInt(7, v.populated() ? 1 : 0);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<VolumeRow> get(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, driver, labels, options, created, anonymous, populated FROM volumes WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    public List<VolumeRow> list() {
        return db.read(c -> {
            List<VolumeRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, driver, labels, options, created, anonymous, populated FROM volumes ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    public void markPopulated(String name) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE volumes SET populated = 1 WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void delete(String name) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM volumes WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Records that {@code containerId} mounts these volumes. */
    public void addRefs(String containerId, List<String> volumes) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO volume_refs(volume, container_id) VALUES (?,?)")) {
                for (String v : volumes) {
                    ps.setString(1, v);
                    ps.setString(2, containerId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The containers that mount {@code volume}. */
    public List<String> users(String volume) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT container_id FROM volume_refs WHERE volume = ? ORDER BY container_id")) {
                ps.setString(1, volume);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** The volumes {@code containerId} mounts. */
    public List<String> volumesOf(String containerId) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT volume FROM volume_refs WHERE container_id = ? ORDER BY volume")) {
                ps.setString(1, containerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private static VolumeRow row(ResultSet rs) throws SQLException {
        return new VolumeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getInt(6) == 1, rs.getInt(7) == 1);
    }
}
