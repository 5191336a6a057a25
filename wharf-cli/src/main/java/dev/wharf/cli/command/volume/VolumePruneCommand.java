package dev.wharf.cli.command.volume;

import dev.wharf.cli.command.Confirm;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.Units;
import dev.wharf.client.Filters;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf volume prune [-a] [-f] [--filter]}: asks first, as docker does. */
@Command(name = "volume prune")
public final class VolumePruneCommand extends WharfCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<label>\")")
    List<String> filters;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!force && !Confirm.ask(cli, "This will remove " + (all ? "all local volumes" : "anonymous local volumes")
                + " not used by at least one container.")) {
            return 0;
        }
        Map<String, Set<String>> f = Filters.parse(filters);
        if (all) {
            f.computeIfAbsent("all", k -> new LinkedHashSet<>()).add("true");
        }
        var r = cli.client().volumes().prune(f);
        if (r.deleted() != null && !r.deleted().isEmpty()) {
            cli.out().println("Deleted Volumes:");
            r.deleted().forEach(cli.out()::println);
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.spaceReclaimed()));
        return 0;
    }
}
