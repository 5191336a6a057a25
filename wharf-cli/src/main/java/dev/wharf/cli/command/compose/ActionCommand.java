package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.run.Compose;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start}, {@code stop}, {@code restart}, {@code kill}, {@code pause} and {@code unpause} of services. */
@Command(name = "action")
final class ActionCommand extends ComposeSubcommand {

    private final Compose.Action action;

    @Option(names = {"-t", "--timeout"}, paramLabel = "int", description = "Specify a shutdown timeout in seconds (stop, restart)")
    Integer timeout;

    @Option(names = {"-s", "--signal"}, paramLabel = "string", defaultValue = "SIGKILL", description = "SIGNAL to send to the container (kill)")
    String signal;

    @Parameters(arity = "0..*", paramLabel = "SERVICE")
    List<String> services;

    ActionCommand(String verb) {
        this.action = Compose.Action.valueOf(verb.toUpperCase(Locale.ROOT));
    }

    @Override
    public Integer call() {
        if (timeout != null && action != Compose.Action.STOP && action != Compose.Action.RESTART) {
            throw new Cli.UsageError("unknown flag: --timeout");
        }
        Project p = action == Compose.Action.START ? opts.project() : opts.projectIfAny();
        String name = p != null ? p.name() : opts.name();
        orExit(() -> {
            if (p != null) {
                p.select(orEmpty(services));
            }
            opts.compose().act(name, p, orEmpty(services), action, timeout, signal);
        });
        return 0;
    }
}
