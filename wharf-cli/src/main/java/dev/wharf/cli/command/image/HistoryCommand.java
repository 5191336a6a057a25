package dev.wharf.cli.command.image;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.TabWriter;
import dev.wharf.cli.format.Units;
import dev.wharf.client.TransferApi;
import dev.wharf.model.image.HistoryItem;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history")
public final class HistoryCommand extends WharfCommand {

    @Option(names = {"-H", "--human"}, arity = "0..1", description = "Print sizes and dates in human readable format")
    boolean human = true;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "IMAGE")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        List<HistoryItem> items = TransferApi.of(cli.client()).history(args.get(0));
        if (quiet) {
            items.forEach(h -> cli.out().println(id(h.id())));
            return 0;
        }
        TabWriter t = new TabWriter();
        t.add("IMAGE\tCREATED\tCREATED BY\tSIZE\tCOMMENT");
        for (HistoryItem h : items) {
            String by = h.createdBy().replace("\t", " ");
            if (!noTrunc) {
                by = Units.ellipsis(by, 45);
            }
            String created = human ? Units.ago(h.created(), cli.now())
                    : java.time.Instant.ofEpochSecond(h.created()).toString();
            String size = human ? Units.humanSize(h.size(), 3) : String.valueOf(h.size());
            t.add(id(h.id()) + "\t" + created + "\t" + by + "\t" + size + "\t" + h.comment());
        }
        cli.out().print(t.render());
        return 0;
    }

    private String id(String id) {
        if (noTrunc || !id.startsWith("sha256:")) {
            return id;
        }
        return id.substring(7, 19);
    }
}
