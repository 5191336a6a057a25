package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi.WaitOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "wait")
public final class WaitCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        return EachArg.run(cli, containers, id -> {
            var r = cli.client().containers().wait(id, WaitOptions.notRunning());
            return Long.toString(r.statusCode());
        });
    }
}
