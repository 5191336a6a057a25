package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi.KillOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill")
public final class KillCommand extends WharfCommand {

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        KillOptions opts = new KillOptions(signal == null || signal.isEmpty() ? null : signal);
        return EachArg.run(cli, containers, id -> {
            cli.client().containers().kill(id, opts);
            return id;
        });
    }
}
