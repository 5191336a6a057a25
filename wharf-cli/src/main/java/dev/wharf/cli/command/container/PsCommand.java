package dev.wharf.cli.command.container;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.ContainerRows;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.client.ContainersApi.ListOptions;
import dev.wharf.client.Filters;
import dev.wharf.model.container.ContainerSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ps")
public final class PsCommand extends WharfCommand {

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.LIST)
    String format;

    @Option(names = {"-n", "--last"}, paramLabel = "int", defaultValue = "-1",
            description = "Show n last created containers (includes all states) (default -1)")
    int last;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Parameters(arity = "0..*", hidden = true)
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        int limit = latest ? 1 : last;
        boolean showAll = all || limit > 0;
        List<ContainerSummary> list = cli.client().containers().list(new ListOptions(showAll,
                limit > 0 ? limit : null, size, Filters.parse(filters)));
        cli.out().print(render(list, cli.now()));
        return 0;
    }

    String render(List<ContainerSummary> list, Instant now) {
        boolean trunc = !noTrunc;
        String f = format;
        if (quiet && (f == null || f.isBlank())) {
            f = "{{.ID}}";
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ContainerSummary c : list) {
            rows.add(ContainerRows.row(c, trunc, now));
        }
        String table = size ? ContainerRows.DEFAULT_TABLE + "\t{{.Size}}" : ContainerRows.DEFAULT_TABLE;
        return ListFormat.render(f, table, ContainerRows.HEADERS, rows);
    }
}
