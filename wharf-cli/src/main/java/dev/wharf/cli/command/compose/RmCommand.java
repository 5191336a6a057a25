package dev.wharf.cli.command.compose;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf compose rm}: removes the services' stopped containers (running ones too with -s). */
@Command(name = "rm")
final class RmCommand extends ComposeSubcommand {

    @Option(names = {"-f", "--force"}, description = "Don't ask to confirm removal")
    boolean force;

    @Option(names = {"-s", "--stop"}, description = "Stop the containers, if required, before removing")
    boolean stop;

    @Option(names = {"-v", "--volumes"}, description = "Remove any anonymous volumes attached to containers")
    boolean volumes;

    @Parameters(arity = "0..*", paramLabel = "SERVICE")
    List<String> services;

    @Override
    public Integer call() {
        opts.compose().rm(opts.name(), orEmpty(services), stop, volumes);
        return 0;
    }
}
