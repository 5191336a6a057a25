package dev.wharf.cli.command.volume;

import dev.wharf.cli.command.PruneCommand;
import dev.wharf.client.Filters;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf volume prune [-a] [-f] [--filter]}: asks first, as docker does. */
@Command(name = "volume prune")
public final class VolumePruneCommand extends PruneCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<label>\")")
    List<String> filters;

    @Override
    protected String warning() {
        return "This will remove " + (all ? "all local volumes" : "anonymous local volumes")
                + " not used by at least one container.";
    }

    @Override
    protected long prune() {
        Map<String, Set<String>> f = Filters.parse(filters);
        if (all) {
            f.computeIfAbsent("all", k -> new LinkedHashSet<>()).add("true");
        }
        var r = cli.client().volumes().prune(f);
        printDeleted(cli.out(), "Deleted Volumes", r.deleted());
        return r.spaceReclaimed();
    }
}
