package dev.wharf.cli.command.network;

import dev.wharf.cli.command.PruneCommand;
import dev.wharf.client.Filters;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf network prune [-f] [--filter]}: asks first, as docker does. */
@Command(name = "network prune")
public final class NetworkPruneCommand extends PruneCommand {

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Override
    protected String warning() {
        return "This will remove all custom networks not used by at least one container.";
    }

    /** docker prints no total for networks. */
    @Override
    protected long prune() {
        var r = cli.client().networks().prune(Filters.parse(filters));
        printDeleted(cli.out(), "Deleted Networks", r.deleted());
        return NO_TOTAL;
    }
}
