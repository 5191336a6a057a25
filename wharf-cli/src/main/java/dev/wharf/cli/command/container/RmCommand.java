package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi.RemoveOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm")
public final class RmCommand extends WharfCommand {

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        RemoveOptions opts = new RemoveOptions(force, volumes);
        return EachArg.run(cli, containers, id -> {
            cli.client().containers().remove(id, opts);
            return id;
        });
    }
}
