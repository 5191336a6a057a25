package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi.StopOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop")
public final class StopCommand extends WharfCommand {

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int",
            description = "Seconds to wait before killing the container")
    Integer timeout;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        StopOptions opts = new StopOptions(timeout, signal);
        return EachArg.run(cli, containers, id -> {
            cli.client().containers().stop(id, opts);
            return id;
        });
    }
}
