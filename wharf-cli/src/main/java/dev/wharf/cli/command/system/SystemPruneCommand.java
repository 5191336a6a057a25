package dev.wharf.cli.command.system;

import dev.wharf.cli.command.Confirm;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.container.ContainerPruneCommand;
import dev.wharf.cli.command.image.ImagePruneCommand;
import dev.wharf.cli.format.Units;
import dev.wharf.client.Filters;
import dev.wharf.client.TransferApi;
import dev.wharf.model.container.ContainerPruneResponse;
import dev.wharf.model.image.ImagePruneResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code system prune}: stopped containers, then dangling (or with -a unused) images. */
@Command(name = "system prune")
public final class SystemPruneCommand extends WharfCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<key>=<value>\")")
    List<String> filters;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        if (!force && !Confirm.ask(cli, "This will remove:\n  - all stopped containers\n"
                + (all ? "  - all images without at least one container associated to them\n"
                        : "  - all dangling images\n") + "  - unused build cache\n")) {
            return 0;
        }
        ContainerPruneResponse c = TransferApi.of(cli.client()).pruneContainers(Filters.parse(filters));
        ContainerPruneCommand.print(cli.out(), c);
        ImagePruneResponse i = ImagePruneCommand.pruneFor(cli.client(), all, filters);
        ImagePruneCommand.print(cli.out(), i);
        cli.out().println("Total reclaimed space: " + Units.humanSize(c.spaceReclaimed() + i.spaceReclaimed()));
        return 0;
    }
}
