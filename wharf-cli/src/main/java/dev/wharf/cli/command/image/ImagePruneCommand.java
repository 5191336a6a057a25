package dev.wharf.cli.command.image;

import dev.wharf.cli.command.PruneCommand;
import dev.wharf.client.Filters;
import dev.wharf.client.TransferApi;
import dev.wharf.model.image.ImagePruneResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "image prune")
public final class ImagePruneCommand extends PruneCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Override
    protected String warning() {
        return all ? "This will remove all images without at least one container associated to them."
                : "This will remove all dangling images.";
    }

    @Override
    protected long prune() {
        ImagePruneResponse r = pruneFor(cli.client(), all, filters);
        print(cli.out(), r);
        return r.spaceReclaimed();
    }

    /** Dangling images, or with {@code all} every unused one, that match the filters. */
    public static ImagePruneResponse pruneFor(dev.wharf.client.WharfClient client, boolean all, List<String> filters) {
        Map<String, Set<String>> f = new HashMap<>(Filters.parse(filters));
        f.put("dangling", Set.of(all ? "false" : "true"));
        return TransferApi.of(client).pruneImages(f);
    }

    public static void print(java.io.PrintStream out, ImagePruneResponse r) {
        printDeleted(out, "Deleted Images", r.imagesDeleted() == null ? null : r.imagesDeleted().stream()
                .map(d -> d.untagged() != null ? "untagged: " + d.untagged() : "deleted: " + d.deleted())
                .toList());
    }
}
