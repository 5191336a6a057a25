package dev.wharf.store.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.base.id.ContainerId;
import dev.wharf.store.db.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerTableTest {

    @TempDir
    Path dir;

    private static final ContainerId C1 = ContainerId.random();

    @Test
    void health_isKeptApartFromStateAndSurvivesReopening() {
        Path f = dir.resolve("wharf.db");
        try (Database db = new Database(f)) {
            db.write(c -> c.createStatement().executeUpdate(
                    "INSERT INTO images(id, created, size) VALUES ('sha256:i', 1, 2)"));
            ContainerTable t = new ContainerTable(db);
            t.insert(new ContainerTable.ContainerRow(C1.value(), "one", "sha256:i", 1, "{}", "{\"status\":\"created\"}",
                    "created"));
            assertThat(t.get(C1).orElseThrow().health()).isNull();
            t.updateHealth(C1, "{\"Status\":\"healthy\"}");
            t.updateState(C1, "{\"status\":\"running\"}", "running"); // a transition leaves the health alone
        }
        try (Database db = new Database(f)) {
            ContainerTable.ContainerRow r = new ContainerTable(db).get(C1).orElseThrow();
            assertThat(r.id()).isEqualTo(C1.value());
            assertThat(r.health()).isEqualTo("{\"Status\":\"healthy\"}");
            assertThat(r.status()).isEqualTo("running");
            new ContainerTable(db).updateHealth(C1, null);
            assertThat(new ContainerTable(db).list().getFirst().health()).isNull();
        }
    }
}
