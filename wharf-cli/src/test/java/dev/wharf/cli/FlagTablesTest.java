package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.command.Commands;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagTablesTest {

    /** The tables written at build time say what the annotations say, for every command. */
    @Test
    void everyCommandsTable_matchesItsAnnotations() {
        assertThat(Commands.entries()).isNotEmpty();
        for (Commands.Entry e : Commands.entries()) {
            for (Class<?> c = e.factory().get().getClass(); c != Object.class; c = c.getSuperclass()) {
                List<FlagTables.Row> table = FlagTables.read(c);
                assertThat(table).as("table of " + c.getName()).isNotNull().isEqualTo(FlagTables.describe(c));
            }
        }
    }

    @Test
    void rows_surviveTheTextForm_includingAnEmptyDefault() {
        for (FlagTables.Row r : List.of(
                new FlagTables.Row("option", "last", List.of("-n", "--last"), false, "-1"),
                new FlagTables.Row("option", "format", List.of("--format"), false, ""),
                new FlagTables.Row("option", "help", List.of("--help"), true, null),
                new FlagTables.Row("params", "args", List.of(), false, null),
                new FlagTables.Row("mixin", "opts", List.of(), false, null))) {
            assertThat(FlagTables.parse(FlagTables.format(r))).isEqualTo(r);
        }
    }
}
