package dev.wharf.cli.command.network;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.client.Filters;
import dev.wharf.model.network.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf network ls}: docker's NETWORK ID / NAME / DRIVER / SCOPE table, sorted by name. */
@Command(name = "network ls")
public final class NetworkLsCommand extends WharfCommand {

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"driver=bridge\")")
    List<String> filters;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.LIST)
    String format;

    @Option(names = "--no-trunc", description = "Do not truncate the output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
    boolean quiet;

    private static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER",
            "Scope", "SCOPE", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");

    @Override
    public Integer call() {
        List<Network> nets = new ArrayList<>(cli.client().networks().list(Filters.parse(filters)));
        nets.sort((a, b) -> NaturalOrder.compare(a.name(), b.name()));
        String f = quiet ? "{{.ID}}" : format;
        cli.out().print(ListFormat.render(f, "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}", HEADERS,
                rows(nets, !noTrunc)));
        return 0;
    }

    static List<Map<String, Object>> rows(List<Network> nets, boolean trunc) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Network n : nets) {
            Map<String, Object> r = new LinkedHashMap<>();
            String id = n.id() == null ? "" : n.id();
            r.put("ID", trunc && id.length() > 12 ? id.substring(0, 12) : id);
            r.put("Name", n.name());
            r.put("Driver", n.driver());
            r.put("Scope", n.scope());
            r.put("IPv6", Boolean.toString(n.enableIPv6()));
            r.put("Internal", Boolean.toString(n.internal()));
            r.put("Labels", n.labels() == null ? "" : n.labels().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
            r.put("CreatedAt", n.created() == null ? "" : n.created());
            rows.add(r);
        }
        return rows;
    }
}
