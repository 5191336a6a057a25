package dev.wharf.store.table;

import dev.wharf.base.id.ContainerId;
import dev.wharf.store.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Containers: config JSON written once at create, state JSON rewritten on every transition, health
 * JSON rewritten after every health probe, and the indexed columns queries need (name, image,
 * status). A row is addressed by its {@link ContainerId}; the {@code id} column holds its 64-hex
 * string, as {@link ContainerRow#id()} does.
 */
public final class ContainerTable {

    private final Database db;

    /** A container's row; {@code health} is null when it has no healthcheck (or none ran yet). */
    public record ContainerRow(String id, String name, String imageId, long createdNanos, String config,
            String state, String status, String health) {

        /** A new container's row, with no health yet. */
        public ContainerRow(String id, String name, String imageId, long createdNanos, String config, String state,
                String status) {
            this(id, name, imageId, createdNanos, config, state, status, null);
        }
    }

    public ContainerTable(Database db) {
        this.db = db;
    }

    /** Inserts a new container; false if the name is taken. */
    public boolean insert(ContainerRow r) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM containers WHERE name = ?")) {
                ps.setString(1, r.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO containers(id, name, image_id, created, config, state, status) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.name());
                ps.setString(3, r.imageId());
                ps.setLong(4, r.createdNanos());
                ps.setString(5, r.config());
                ps.setString(6, r.state());
                ps.setString(7, r.status());
                ps.executeUpdate();
            }
            return true;
        });
    }

    public void updateState(ContainerId id, String stateJson, String status) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE containers SET state = ?, status = ? WHERE id = ?")) {
                ps.setString(1, stateJson);
                ps.setString(2, status);
                ps.setString(3, id.value());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Rewrites a container's health JSON (null: none). */
    public void updateHealth(ContainerId id, String healthJson) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE containers SET health = ? WHERE id = ?")) {
                ps.setString(1, healthJson);
                ps.setString(2, id.value());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Rewrites a container's name and config (rename, update); false if another container has the name. */
    public boolean updateConfig(ContainerId id, String name, String configJson) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM containers WHERE name = ? AND id <> ?")) {
                ps.setString(1, name);
                ps.setString(2, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE containers SET name = ?, config = ? WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, configJson);
                ps.setString(3, id.value());
                ps.executeUpdate();
            }
            return true;
        });
    }

    public void delete(ContainerId id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM containers WHERE id = ?")) {
                ps.setString(1, id.value());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public List<ContainerRow> list() {
        return db.read(c -> {
            List<ContainerRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, image_id, created, config, state, status, health FROM containers ORDER BY created DESC");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    public Optional<ContainerRow> get(ContainerId id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, image_id, created, config, state, status, health FROM containers WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    private static ContainerRow row(ResultSet rs) throws SQLException {
        return new ContainerRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8));
    }
}
