package dev.wharf.cli.command.image;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.ImageRows;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.client.Filters;
import dev.wharf.client.ImagesApi.ListOptions;
import dev.wharf.model.image.ImageSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "images")
public final class ImagesCommand extends WharfCommand {

    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.LIST)
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "REPOSITORY[:TAG]")
    List<String> args;

    @Override
    public Integer call() {
        if (orEmpty(args).size() > 1) {
            throw new dev.wharf.cli.Cli.UsageError("'wharf images' requires at most 1 argument");
        }
        Map<String, Set<String>> f = Filters.parse(filters);
        if (args != null && !args.isEmpty()) {
            f.computeIfAbsent("reference", k -> new LinkedHashSet<>()).add(args.getFirst());
        }
        List<ImageSummary> list = cli.client().images().list(new ListOptions(all, f));
        cli.out().print(render(list, cli.now()));
        return 0;
    }

    String render(List<ImageSummary> list, Instant now) {
        boolean trunc = !noTrunc;
        List<Map<String, Object>> rows = new ArrayList<>();
        Set<Object> seen = new LinkedHashSet<>();
        for (ImageSummary img : list) {
            if (quiet) {
                if (seen.add(img.id())) {
                    rows.addAll(ImageRows.rows(img, trunc, now).subList(0, 1));
                }
            } else {
                rows.addAll(ImageRows.rows(img, trunc, now));
            }
        }
        String f = format;
        if (quiet && (f == null || f.isBlank())) {
            f = "{{.ID}}";
        }
        String table = digests
                ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                : ImageRows.DEFAULT_TABLE;
        return ListFormat.render(f, table, ImageRows.HEADERS, rows);
    }
}
