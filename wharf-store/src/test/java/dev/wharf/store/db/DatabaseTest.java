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

    /** The migration files the module ships, read from its resources directory. */
    private static int migrationFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
