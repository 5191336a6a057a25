package dev.wharf.cli.command.image;

import dev.wharf.cli.command.Confirm;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.Units;
import dev.wharf.client.Filters;
import dev.wharf.client.TransferApi;
import dev.wharf.model.image.DeleteItem;
import dev.wharf.model.image.ImagePruneResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image prune")
public final class ImagePruneCommand extends WharfCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        if (!force && !Confirm.ask(cli, all ? "This will remove all images without at least one container associated to them."
                : "This will remove all dangling images.")) {
            return 0;
        }
        ImagePruneResponse r = prune(cli.client(), all, filters);
        print(cli.out(), r);
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.spaceReclaimed()));
        return 0;
    }

    static ImagePruneResponse prune(dev.wharf.client.WharfClient client, boolean all, List<String> filters) {
        Map<String, Set<String>> f = new HashMap<>(Filters.parse(filters));
        f.put("dangling", Set.of(all ? "false" : "true"));
        return TransferApi.of(client).pruneImages(f);
    }

    public static void print(java.io.PrintStream out, ImagePruneResponse r) {
        if (r.imagesDeleted() == null || r.imagesDeleted().isEmpty()) {
            return;
        }
        out.println("Deleted Images:");
        for (DeleteItem d : r.imagesDeleted()) {
            out.println(d.untagged() != null ? "untagged: " + d.untagged() : "deleted: " + d.deleted());
        }
        out.println();
    }

    public static ImagePruneResponse pruneFor(dev.wharf.client.WharfClient client, boolean all, List<String> f) {
        return prune(client, all, f);
    }
}
