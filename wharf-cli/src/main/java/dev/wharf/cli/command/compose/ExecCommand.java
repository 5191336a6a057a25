package dev.wharf.cli.command.compose;

import dev.wharf.cli.FlagParser;
import dev.wharf.compose.run.ComposeException;
import dev.wharf.model.container.ContainerSummary;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf compose exec SERVICE COMMAND}: runs {@code wharf exec} in the service's replica
 * ({@code --index}, default 1), with a TTY when the terminal has one and {@code -T} is not given.
 */
@Command(name = "exec")
final class ExecCommand extends ComposeSubcommand {

    @Option(names = {"-d", "--detach"}, description = "Detached mode: Run command in the background")
    boolean detach;

    @Option(names = {"-e", "--env"}, paramLabel = "stringArray", description = "Set environment variables")
    List<String> env;

    @Option(names = "--index", paramLabel = "int", defaultValue = "1", description = "Index of the container if service has multiple replicas")
    int index;

    @Option(names = {"-T", "--no-TTY"}, description = "Disable pseudo-TTY allocation. By default docker compose exec allocates a TTY.")
    boolean noTty;

    @Option(names = "--privileged", description = "Give extended privileges to the process")
    boolean privileged;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Run the command as this user")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Path to workdir directory for this command")
    String workdir;

    @Parameters(arity = "0..*", paramLabel = "SERVICE COMMAND [ARGS...]")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 2);
        ContainerSummary c;
        try {
            c = opts.compose().container(opts.name(), args.getFirst(), index);
        } catch (ComposeException e) {
            throw new dev.wharf.cli.Cli.Exit(1, e.getMessage());
        }
        if (!"running".equals(c.state())) {
            throw new dev.wharf.cli.Cli.Exit(1, "service \"" + args.getFirst() + "\" is not running");
        }
        List<String> a = new ArrayList<>();
        if (detach) {
            a.add("-d");
        } else {
            a.add("-i");
            if (!noTty && cli.terminal().isInteractive()) {
                a.add("-t");
            }
        }
        orEmpty(env).forEach(e -> {
            a.add("-e");
            a.add(e);
        });
        if (privileged) {
            a.add("--privileged");
        }
        if (user != null) {
            a.add("-u");
            a.add(user);
        }
        if (workdir != null) {
            a.add("-w");
            a.add(workdir);
        }
        a.add(c.id());
        a.addAll(args.subList(1, args.size()));
        dev.wharf.cli.command.container.ExecCommand exec = new dev.wharf.cli.command.container.ExecCommand();
        exec.init(cli, "exec");
        FlagParser.parse(exec, a.toArray(String[]::new), true);
        return exec.call();
    }
}
