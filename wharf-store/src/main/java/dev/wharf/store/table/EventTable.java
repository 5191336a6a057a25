package dev.wharf.store.table;

import dev.wharf.store.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The persisted event log, so that {@code /events?since=} replays across daemon restarts. */
public final class EventTable {

    private static final int KEEP = 10_000;

    private final Database db;

    public EventTable(Database db) {
        this.db = db;
    }

    public void append(long timeNano, String json) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(time_nano, json) VALUES (?,?)")) {
                ps.setLong(1, timeNano);
                ps.setString(2, json);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Events with {@code from <= time < to}, oldest first. */
    public List<String> between(long fromNano, long toNano) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT json FROM events WHERE time_nano >= ? AND time_nano < ? ORDER BY seq")) {
                ps.setLong(1, fromNano);
                ps.setLong(2, toNano);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Keeps the newest events only. */
    public void trim() {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM events WHERE seq <= (SELECT max(seq) FROM events) - ?")) {
                ps.setInt(1, KEEP);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
