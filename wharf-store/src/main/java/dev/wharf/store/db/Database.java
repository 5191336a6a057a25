package dev.wharf.store.db;

import dev.wharf.base.error.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The metadata database: one SQLite file in WAL mode with foreign keys on. All access goes through
 * {@link #read} and {@link #write}; a write is one transaction, committed or rolled back whole.
 * One connection serves everything, guarded by a lock: statements take microseconds, and a single
 * writer is what SQLite allows anyway.
 */
public final class Database implements AutoCloseable {

    private static final List<String> MIGRATIONS = List.of("V001__init.sql", "V002__networks.sql", "V003__volumes.sql",
            "V004__container_health.sql", "V005__registry.sql", "V010__build_cache.sql");

    private static final System.Logger LOG = System.getLogger("wharf.store");

    /**
     * Room kept on the data root's disk for the database: when the disk fills up, every change to
     * the database fails (SQLite needs a few pages of its write-ahead log for any of them, a
     * removal's too), and a user could not even remove a container to free space. The reserve
     * file's space is given back when a removal needs it ({@link #withReserve}), and taken again
     * once the disk has room.
     */
    static final int RESERVE_BYTES = 4 << 20;
    private static final long RESERVE_AGAIN_ABOVE = 64L << 20;
    private static final long RESERVE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();
    private final Path reserve;
    private volatile boolean reserveHeld;
    private volatile long nextReserveTry;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Bound while work that must get through on a full disk runs: its writes may use the reserve. */
    private static final ScopedValue<Boolean> RESERVE = ScopedValue.newInstance();

    /** Work that must get through on a full disk. */
    @FunctionalInterface
    public interface Essential<X extends Exception> {
        void run() throws X;
    }

    /**
     * Runs {@code op}, whose database writes may give back the reserve and go on when the disk is
     * full: what frees space (a removal, a prune) and the record of what already happened (a
     * container's exit). Other writes fail with "no space left on device", so the reserve is not
     * spent on what would fill the disk more.
     */
    public static <X extends Exception> void withReserve(Essential<X> op) throws X {
        ScopedValue.where(RESERVE, Boolean.TRUE).call(() -> {
            op.run();
            return null;
        });
    }

    public Database(Path file) {
        reserve = file.resolveSibling(file.getFileName() + ".reserve");
        nextReserveTry = System.nanoTime() + RESERVE_RETRY_NANOS;
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
        reserveHeld = holdReserve(reserve);
    }

    /** Makes the reserve file, its blocks written so the file system allocates them; false when the disk has no room. */
    private static boolean holdReserve(Path reserve) {
        if (Files.isRegularFile(reserve)) {
            try {
                if (Files.size(reserve) == RESERVE_BYTES) {
                    return true;
                }
            } catch (IOException e) {
                // made again below
            }
        }
        Path tmp = reserve.resolveSibling(reserve.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
                for (int n = 0; n < RESERVE_BYTES; n += zeros.capacity()) {
                    zeros.clear();
                    while (zeros.hasRemaining()) {
                        ch.write(zeros);
                    }
                }
            }
            Files.move(tmp, reserve, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next try replaces it
            }
            return false;
        }
    }

    /** Gives the reserve's space back to the disk; false when there was none to give. */
    private boolean releaseReserve() {
        if (!reserveHeld) {
            return false;
        }
        reserveHeld = false;
        nextReserveTry = System.nanoTime() + RESERVE_RETRY_NANOS;
        try {
            return Files.deleteIfExists(reserve);
        } catch (IOException e) {
            return false;
        }
    }

    /** After a write: takes the reserve again (in the background) once the disk has room, at most every 30 s. */
    private void restoreReserveLater() {
        if (reserveHeld || System.nanoTime() - nextReserveTry < 0) {
            return;
        }
        nextReserveTry = System.nanoTime() + RESERVE_RETRY_NANOS;
        Thread.ofVirtual().name("db-reserve").start(() -> {
            try {
                if (Files.getFileStore(reserve.getParent()).getUsableSpace() >= RESERVE_AGAIN_ABOVE) {
                    reserveHeld = holdReserve(reserve);
                }
            } catch (IOException ignored) {
                // tried again after the next write
            }
        });
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

    /**
     * Runs {@code work} as one transaction: committed whole, or rolled back whole when it throws.
     * The transaction is begun and ended by statements on a connection left in auto-commit: when
     * SQLite itself rolled it back (a full disk fails the commit, and SQLite ends the transaction),
     * nothing is left believing one is open, and the next write begins afresh. {@code work} must
     * not commit or roll back itself; it throws to undo.
     */
    public <T> T write(Work<T> work) {
        lock.lock();
        try (Statement tx = conn.createStatement()) {
            try {
                return transaction(tx, work);
            } catch (SQLException e) {
                if (!diskFull(e) || !RESERVE.orElse(false) || !releaseReserve()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "the disk of the data root is full: gave back the "
                        + (RESERVE_BYTES >> 20) + " MiB kept for the database, so removals can still free space");
                return transaction(tx, work);
            }
        } catch (SQLException e) {
            throw new InternalException("database: " + describe(e), e);
        } finally {
            lock.unlock();
            restoreReserveLater();
        }
    }

    private <T> T transaction(Statement tx, Work<T> work) throws SQLException {
        begin(tx);
        try {
            T r = work.run(conn);
            tx.execute("COMMIT");
            return r;
        } catch (SQLException | RuntimeException e) {
            try {
                tx.execute("ROLLBACK");
            } catch (SQLException ended) {
                // SQLite ended the transaction itself (a full disk): there is nothing to undo
            }
            throw e;
        }
    }

    /** Begins a write transaction; one a failed rollback left open (this connection's alone) is rolled back first. */
    private static void begin(Statement tx) throws SQLException {
        try {
            tx.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("within a transaction")) {
                throw e;
            }
            tx.execute("ROLLBACK");
            tx.execute("BEGIN IMMEDIATE");
        }
    }

    private static boolean diskFull(SQLException e) {
        return e instanceof SQLiteException se && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_FULL.code;
    }

    /** The error as a person can act on it: a full disk said so. */
    private static String describe(SQLException e) {
        return diskFull(e) ? "no space left on device (" + e.getMessage() + ")" : e.getMessage();
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
