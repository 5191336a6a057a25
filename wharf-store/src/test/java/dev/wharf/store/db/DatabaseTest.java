package dev.wharf.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InternalException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void reopening_appliesNoMigrationTwiceAndKeepsRows() throws java.io.IOException {
        Path f = dir.resolve("wharf.db");
        try (Database db = new Database(f)) {
            db.write(c -> c.createStatement().executeUpdate(
                    "INSERT INTO images(id, created, size) VALUES ('sha256:x', 1, 2)"));
        }
        try (Database db = new Database(f)) {
            int n = db.read(c -> {
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM images");
                rs.next();
                return rs.getInt(1);
            });
            assertThat(n).isEqualTo(1);
            int applied = db.read(c -> {
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM schema_migrations");
                rs.next();
                return rs.getInt(1);
            });
            assertThat(applied).as("every V*.sql in src/main/resources/db is applied").isEqualTo(migrationFiles());
        }
    }

    @Test
    void failedWrite_rollsBackWholeTransaction() {
        try (Database db = new Database(dir.resolve("wharf.db"))) {
            assertThatThrownBy(() -> db.write(c -> {
                c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:a', 1, 2)");
                c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:a', 1, 2)");
                return null;
            })).isInstanceOf(InternalException.class);
            int n = db.read(c -> {
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM images");
                rs.next();
                return rs.getInt(1);
            });
            assertThat(n).isZero();
        }
    }

    /**
     * A full disk fails a write with a message that says so, and changes nothing; once there is
     * room again, writes work and are whole transactions again (a failed commit used to leave the
     * connection outside any transaction: every later write failed with "cannot commit").
     */
    @Test
    void diskFull_failsTheWriteClearly_andWritesWorkAgainOnceThereIsRoom() {
        try (Database db = new Database(dir.resolve("wharf.db"))) {
            int pages = db.read(c -> {
                var rs = c.createStatement().executeQuery("PRAGMA page_count");
                rs.next();
                return rs.getInt(1);
            });
            db.read(c -> c.createStatement().execute("PRAGMA max_page_count = " + pages));
            assertThatThrownBy(() -> db.write(c -> {
                for (int i = 0; i < 1000; i++) {
                    c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:" + i
                            + "', 1, 2)");
                }
                return null;
            })).isInstanceOf(InternalException.class).hasMessageContaining("no space left");
            assertThat(count(db)).isZero();
            assertThat(dir.resolve("wharf.db.reserve")).as("kept for removals").hasSize(Database.RESERVE_BYTES);

            db.read(c -> c.createStatement().execute("PRAGMA max_page_count = 1000000"));
            db.write(c -> c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:b', 1, 2)"));
            assertThatThrownBy(() -> db.write(c -> {
                c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:c', 1, 2)");
                c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:b', 1, 2)");
                return null;
            })).isInstanceOf(InternalException.class);
            assertThat(count(db)).as("the failed write left nothing").isEqualTo(1);
        }
    }

    /** A removal on a full disk gives the reserve back and goes on; other writes do not spend it. */
    @Test
    void removalOnAFullDisk_usesTheReserve() {
        try (Database db = new Database(dir.resolve("wharf.db"))) {
            db.write(c -> c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:a', 1, 2)"));
            assertThat(dir.resolve("wharf.db.reserve")).hasSize(Database.RESERVE_BYTES);
            // SQLite's page limit stands in for the disk here: the released reserve does not lift
            // it, so the write fails again, but only after the reserve was given back
            db.read(c -> c.createStatement().execute("PRAGMA max_page_count = 1")); // as many as it has
            assertThatThrownBy(() -> Database.withReserve(() -> db.write(c -> {
                for (int i = 0; i < 1000; i++) {
                    c.createStatement().executeUpdate("INSERT INTO images(id, created, size) VALUES ('sha256:" + i
                            + "', 1, 2)");
                }
                return null;
            }))).hasMessageContaining("no space left");
            assertThat(dir.resolve("wharf.db.reserve")).doesNotExist();
        }
    }

    private static int count(Database db) {
        return db.read(c -> {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM images");
            rs.next();
            return rs.getInt(1);
        });
    }

    /** The migration files the module ships, read from its resources directory. */
    private static int migrationFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
