package dev.wharf.store.db;

import dev.wharf.base.error.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metadata database: one SQLite file in WAL mode with foreign keys on. All access goes through
 * {@link #read} and {@link #write}; a write is one transaction, committed or rolled back whole.
 * One connection serves everything, guarded by a lock: statements take microseconds, and a single
 * writer is what SQLite allows anyway.
 */
public final class Database implements AutoCloseable {

    private static final List<String> MIGRATIONS = List.of("V001__init.sql", "V002__networks.sql", "V003__volumes.sql",
            "V004__container_health.sql", "V005__registry.sql", "V010__build_cache.sql");

    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public Database(Path file) {
        try {
            conn = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = conn.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            migrate();
        } catch (SQLException | IOException e) {
            throw new InternalException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies the migrations not applied yet, each in its own transaction, recording each by name
     * in {@code schema_migrations}; so migrations added on parallel branches apply in any order.
     */
    private void migrate() throws SQLException, IOException {
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)");
        }
        java.util.Set<String> applied = new java.util.HashSet<>();
        try (Statement s = conn.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            if (rs.next() && rs.getInt(1) >= 1) {
                applied.add(MIGRATIONS.getFirst()); // databases from before schema_migrations existed
            }
        }
        try (Statement s = conn.createStatement(); var rs = s.executeQuery("SELECT name FROM schema_migrations")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        }
        for (String name : MIGRATIONS) {
            if (applied.contains(name)) {
                continue;
            }
            String sql;
            try (InputStream in = Database.class.getResourceAsStream("/db/" + name)) {
                sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            write(c -> {
                try (Statement s = c.createStatement()) {
                    for (String stmt : stripComments(sql).split(";")) {
                        if (!stmt.isBlank()) {
                            s.execute(stmt);
                        }
                    }
                }
                try (var ps = c.prepareStatement("INSERT INTO schema_migrations(name) VALUES (?)")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
                return null;
            });
        }
    }

    private static String stripComments(String sql) {
        StringBuilder b = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.stripLeading().startsWith("--")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Runs {@code work} as one transaction. */
    public <T> T write(Work<T> work) {
        lock.lock();
        try {
            conn.setAutoCommit(false);
            try {
                T r = work.run(conn);
                conn.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new InternalException("database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs a read. */
    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(conn);
        } catch (SQLException e) {
            throw new InternalException("database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing at shutdown
        }
    }
}
