package dev.wharf.cli.command.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.TabWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wharf top CONTAINER [ps OPTIONS]}: docker's table of the container's processes. */
@Command(name = "top")
public final class TopCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "CONTAINER [ps OPTIONS]")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        String psArgs = args.size() > 1 ? String.join(" ", args.subList(1, args.size())) : null;
        JsonNode top = cli.client().containers().top(args.getFirst(), psArgs);
        List<List<String>> rows = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        top.path("Titles").forEach(t -> titles.add(t.asText()));
        rows.add(titles);
        top.path("Processes").forEach(p -> {
            List<String> row = new ArrayList<>();
            p.forEach(c -> row.add(c.asText()));
            rows.add(row);
        });
        TabWriter w = new TabWriter(20, 3);
        for (List<String> r : rows) {
            w.add(String.join("\t", r) + "\n");
        }
        cli.out().print(w.render());
        return 0;
    }
}
