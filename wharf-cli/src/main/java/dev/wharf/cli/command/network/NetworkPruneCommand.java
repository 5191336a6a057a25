package dev.wharf.cli.command.network;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.Filters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
        if (!force) {
            cli.out().print("WARNING! This will remove all custom networks not used by at least one container.\n"
                    + "Are you sure you want to continue? [y/N] ");
            cli.out().flush();
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (answer == null || !(answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
                return 0;
            }
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
