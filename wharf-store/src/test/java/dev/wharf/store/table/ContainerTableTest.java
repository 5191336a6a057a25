package dev.wharf.store.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.store.db.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerTableTest {

    @TempDir
    Path dir;

    @Test
    void health_isKeptApartFromStateAndSurvivesReopening() {
        Path f = dir.resolve("wharf.db");
        try (Database db = new Database(f)) {
            db.write(c -> c.createStatement().executeUpdate(
                    "INSERT INTO images(id, created, size) VALUES ('sha256:i', 1, 2)"));
            ContainerTable t = new ContainerTable(db);
            t.insert(new ContainerTable.ContainerRow("c1", "one", "sha256:i", 1, "{}", "{\"status\":\"created\"}",
                    "created"));
            assertThat(t.get("c1").orElseThrow().health()).isNull();
            t.updateHealth("c1", "{\"Status\":\"healthy\"}");
            t.updateState("c1", "{\"status\":\"running\"}", "running"); // a transition leaves the health alone
        }
        try (Database db = new Database(f)) {
            ContainerTable.ContainerRow r = new ContainerTable(db).get("c1").orElseThrow();
            assertThat(r.health()).isEqualTo("{\"Status\":\"healthy\"}");
            assertThat(r.status()).isEqualTo("running");
            new ContainerTable(db).updateHealth("c1", null);
            assertThat(new ContainerTable(db).list().getFirst().health()).isNull();
        }
    }
}
