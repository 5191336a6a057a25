package dev.wharf.store.table;

import dev.wharf.store.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks, address leases (endpoints) and published host ports; schema in
 * {@code V002__networks.sql}. Each method is one transaction.
 */
public final class NetworkTable {

    private final Database db;

    public record NetworkRow(String id, String name, long createdNanos, String config) {
    }

    public record EndpointRow(String networkId, String containerId, String ip, String config) {
    }

    public record PortRow(String proto, String hostIp, int hostPort, String containerId, int containerPort) {
    }

    public NetworkTable(Database db) {
        this.db = db;
    }

    /** Inserts a network; false if the name is taken. */
    public boolean insert(NetworkRow r) {
        return db.write(c -> {
            if (exists(c, "SELECT 1 FROM networks WHERE name = ?", r.name())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO networks(id, name, created, config) VALUES (?,?,?,?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.name());
                ps.setLong(3, r.createdNanos());
                ps.setString(4, r.config());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Deletes a network that has no endpoints; false if it still has some. */
    public boolean delete(String id) {
        return db.write(c -> {
            if (exists(c, "SELECT 1 FROM endpoints WHERE network_id = ?", id)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM networks WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    public List<NetworkRow> list() {
        return db.read(c -> {
            List<NetworkRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created, config FROM networks");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new NetworkRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
            return out;
        });
    }

    /** Leases {@code ip} to a container; false if the address is taken or the container is attached. */
    public boolean lease(EndpointRow e) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM endpoints WHERE network_id = ? AND (ip = ? OR container_id = ?)")) {
                ps.setString(1, e.networkId());
                ps.setString(2, e.ip());
                ps.setString(3, e.containerId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO endpoints(network_id, container_id, ip, config) VALUES (?,?,?,?)")) {
                ps.setString(1, e.networkId());
                ps.setString(2, e.containerId());
                ps.setString(3, e.ip());
                ps.setString(4, e.config());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Replaces the stored config of a container's endpoint on a network (its names after a rename). */
    public void updateEndpoint(String networkId, String containerId, String config) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE endpoints SET config = ? WHERE network_id = ? AND container_id = ?")) {
                ps.setString(1, config);
                ps.setString(2, networkId);
                ps.setString(3, containerId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void release(String networkId, String containerId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM endpoints WHERE network_id = ? AND container_id = ?")) {
                ps.setString(1, networkId);
                ps.setString(2, containerId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public List<EndpointRow> endpoints() {
        return db.read(c -> {
            List<EndpointRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT network_id, container_id, ip, config FROM endpoints ORDER BY rowid");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EndpointRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        });
    }

    /** Records a container's host ports, all or none; false if one is held already. */
    public boolean bindPorts(List<PortRow> ports) {
        try {
            db.write(c -> {
                for (PortRow p : ports) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT 1 FROM port_bindings WHERE proto = ? AND host_port = ? AND (host_ip = ? OR host_ip = '' OR ? = '')")) {
                        ps.setString(1, p.proto());
                        ps.setInt(2, p.hostPort());
                        ps.setString(3, p.hostIp());
                        ps.setString(4, p.hostIp());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                throw new PortHeld(); // undoes the rows inserted before it
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO port_bindings(proto, host_ip, host_port, container_id, container_port) VALUES (?,?,?,?,?)")) {
                        ps.setString(1, p.proto());
                        ps.setString(2, p.hostIp());
                        ps.setInt(3, p.hostPort());
                        ps.setString(4, p.containerId());
                        ps.setInt(5, p.containerPort());
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            return true;
        } catch (PortHeld e) {
            return false;
        }
    }

    /** A port of the binding is held: the binding's transaction is rolled back. */
    private static final class PortHeld extends RuntimeException {
        PortHeld() {
            super(null, null, false, false);
        }
    }

    public List<PortRow> ports() {
        return db.read(c -> {
            List<PortRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT proto, host_ip, host_port, container_id, container_port FROM port_bindings ORDER BY rowid");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PortRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5)));
                }
            }
            return out;
        });
    }

    public void unbindPorts(String containerId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM port_bindings WHERE container_id = ?")) {
                ps.setString(1, containerId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
