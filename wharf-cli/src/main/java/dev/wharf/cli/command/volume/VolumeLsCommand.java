package dev.wharf.cli.command.volume;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.client.Filters;
import dev.wharf.model.volume.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf volume ls}: docker's DRIVER / VOLUME NAME table. */
@Command(name = "volume ls")
public final class VolumeLsCommand extends WharfCommand {

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"dangling=true\")")
    List<String> filters;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.LIST)
    String format;

    @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
    boolean quiet;

    @Override
    public Integer call() {
        List<Volume> vols = cli.client().volumes().list(Filters.parse(filters)).volumes();
        String f = quiet ? "{{.Name}}" : format;
        cli.out().print(ListFormat.render(f, "table {{.Driver}}\t{{.Name}}", Map.of("Driver", "DRIVER", "Name",
                "VOLUME NAME", "Mountpoint", "MOUNTPOINT", "Scope", "SCOPE", "Labels", "LABELS"), rows(vols)));
        return 0;
    }

    static List<Map<String, Object>> rows(List<Volume> vols) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Volume v : vols) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("Driver", v.driver());
            r.put("Name", v.name());
            r.put("Mountpoint", v.mountpoint());
            r.put("Scope", v.scope());
            r.put("Labels", v.labels() == null ? "" : v.labels().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
            rows.add(r);
        }
        return rows;
    }
}
