package dev.wharf.cli.command.compose;

import dev.wharf.cli.format.ContainerRows;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.compose.model.Labels;
import dev.wharf.model.container.ContainerSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf compose ps}: the project's containers, with Docker Compose's columns. */
@Command(name = "ps")
final class PsCommand extends ComposeSubcommand {

    static final String TABLE = "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}";
    static final Map<String, String> HEADERS;

    static {
        Map<String, String> h = new HashMap<>(ContainerRows.HEADERS);
        h.put("Name", "NAME");
        h.put("Service", "SERVICE");
        h.put("Project", "PROJECT");
        HEADERS = Map.copyOf(h);
    }

    @Option(names = {"-a", "--all"}, description = "Show all stopped containers (including those created by the run command)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
    boolean quiet;

    @Option(names = "--services", description = "Display services")
    boolean servicesOnly;

    @Option(names = "--status", paramLabel = "stringArray", description = "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]")
    List<String> status;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'table', 'json' or a Go template")
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Parameters(arity = "0..*", paramLabel = "SERVICE")
    List<String> services;

    @Override
    public Integer call() {
        String name = opts.name();
        List<ContainerSummary> cs = opts.compose().containers(name, orEmpty(services), all || !orEmpty(status).isEmpty(), all);
        cs = cs.stream().filter(c -> orEmpty(status).isEmpty() || status.contains(c.state())).toList();
        if (servicesOnly) {
            Set<String> seen = new LinkedHashSet<>();
            cs.forEach(c -> seen.add(c.labels().get(Labels.SERVICE)));
            seen.forEach(cli.out()::println);
            return 0;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ContainerSummary c : cs) {
            Map<String, Object> r = ContainerRows.row(c, !noTrunc, cli.now());
            String n = c.names() == null || c.names().isEmpty() ? c.id() : c.names().getFirst();
            r.put("Name", n.startsWith("/") ? n.substring(1) : n);
            r.put("Service", c.labels().getOrDefault(Labels.SERVICE, ""));
            r.put("Project", c.labels().getOrDefault(Labels.PROJECT, ""));
            rows.add(r);
        }
        String f = quiet && (format == null || format.isBlank()) ? "{{.ID}}" : format;
        cli.out().print(ListFormat.render(f, TABLE, HEADERS, rows));
        return 0;
    }
}
