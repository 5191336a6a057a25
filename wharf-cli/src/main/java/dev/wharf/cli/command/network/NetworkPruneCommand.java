package dev.wharf.cli.command.network;

import dev.wharf.cli.command.Confirm;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.Filters;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf network prune [-f] [--filter]}: asks first, as docker does. */
@Command(name = "network prune")
public final class NetworkPruneCommand extends WharfCommand {

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (!force && !Confirm.ask(cli, "This will remove all custom networks not used by at least one container.")) {
            return 0;
        }
        var r = cli.client().networks().prune(Filters.parse(filters));
        if (r.deleted() != null && !r.deleted().isEmpty()) {
            StringBuilder sb = new StringBuilder("Deleted Networks:\n");
            r.deleted().forEach(n -> sb.append(n).append('\n'));
            cli.out().println(sb);
        }
        return 0;
    }
}
