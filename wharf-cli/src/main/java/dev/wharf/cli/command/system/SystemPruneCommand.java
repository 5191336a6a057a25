package dev.wharf.cli.command.system;

import dev.wharf.cli.command.PruneCommand;
import dev.wharf.cli.command.container.ContainerPruneCommand;
import dev.wharf.cli.command.image.ImagePruneCommand;
import dev.wharf.client.Filters;
import dev.wharf.client.TransferApi;
import dev.wharf.model.container.ContainerPruneResponse;
import dev.wharf.model.image.ImagePruneResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code system prune}: stopped containers, then dangling (or with -a unused) images. */
@Command(name = "system prune")
public final class SystemPruneCommand extends PruneCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<key>=<value>\")")
    List<String> filters;

    @Override
    protected String warning() {
        return "This will remove:\n  - all stopped containers\n"
                + (all ? "  - all images without at least one container associated to them\n"
                        : "  - all dangling images\n") + "  - unused build cache\n";
    }

    @Override
    protected long prune() {
        ContainerPruneResponse c = TransferApi.of(cli.client()).pruneContainers(Filters.parse(filters));
        ContainerPruneCommand.print(cli.out(), c);
        ImagePruneResponse i = ImagePruneCommand.pruneFor(cli.client(), all, filters);
        ImagePruneCommand.print(cli.out(), i);
        return c.spaceReclaimed() + i.spaceReclaimed();
    }
}
