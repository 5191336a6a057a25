package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi.StopOptions;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stop} and {@code restart}: the same flags, one request per container named. */
abstract class StopLikeCommand extends WharfCommand {

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int",
            description = "Seconds to wait before killing the container")
    Integer timeout;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    /** The request for one container. */
    abstract void act(String id, StopOptions opts);

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        StopOptions opts = new StopOptions(timeout, signal);
        return EachArg.run(cli, containers, id -> {
            act(id, opts);
            return id;
        });
    }
}
