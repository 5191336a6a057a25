package dev.wharf.cli.command.compose;

import dev.wharf.cli.FlagParser;
import dev.wharf.cli.command.container.StartCommand;
import dev.wharf.client.ContainersApi;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.run.Compose;
import dev.wharf.compose.run.OneOff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf compose run SERVICE [COMMAND]}: a one-off container of the service (its
 * dependencies started first), attached as {@code wharf start -a} is, exiting with its code;
 * {@code --rm} removes it afterwards, {@code -d} leaves it running and prints its name.
 */
@Command(name = "run")
final class RunCommand extends ComposeSubcommand {

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--rm", description = "Automatically remove the container when it exits")
    boolean rm;

    @Option(names = {"-e", "--env"}, paramLabel = "stringArray", description = "Set environment variables")
    List<String> env;

    @Option(names = "--entrypoint", paramLabel = "string", description = "Override the entrypoint of the image")
    String entrypoint;

    @Option(names = "--name", paramLabel = "string", description = "Assign a name to the container")
    String containerName;

    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;

    @Option(names = {"-p", "--publish"}, paramLabel = "stringArray", description = "Publish a container's port(s) to the host")
    List<String> publish;

    @Option(names = "--service-ports", description = "Run command with all service's ports enabled and mapped to the host")
    boolean servicePorts;

    @Option(names = {"-T", "--no-TTY"}, description = "Disable pseudo-TTY allocation (default: auto-detected)")
    boolean noTty;

    @Option(names = {"-i", "--interactive"}, defaultValue = "true", description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Run as specified username or uid")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Parameters(arity = "0..*", paramLabel = "SERVICE [COMMAND] [ARGS...]")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        Project p = opts.project();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String e : orEmpty(env)) {
            int eq = e.indexOf('=');
            environment.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? System.getenv().getOrDefault(e, "") : e.substring(eq + 1));
        }
        boolean tty = !noTty && !detach && cli.terminal().isInteractive();
        boolean stdin = interactive && !detach && cli.terminal().isInteractive();
        Compose compose = opts.compose();
        OneOff.Created c = valueOrExit(() -> compose.createOneOff(p, args.getFirst(), new Compose.RunOptions(
                args.size() > 1 ? List.copyOf(args.subList(1, args.size())) : null,
                entrypoint == null ? null : dev.wharf.cli.command.compose.ComposeCommand.list(entrypoint.split(" ")),
                environment, containerName, user, workdir, noDeps, servicePorts, orEmpty(publish), tty, stdin, rm)));
        if (detach) {
            cli.client().containers().start(c.id());
            cli.out().println(c.name());
            return 0;
        }
        List<String> a = new ArrayList<>(List.of("-a"));
        if (stdin) {
            a.add("-i");
        }
        a.add(c.id());
        StartCommand start = new StartCommand();
        start.init(cli, "start");
        FlagParser.parse(start, a.toArray(String[]::new), false);
        int code;
        try {
            Integer r = start.call();
            code = r == null ? 0 : r;
        } finally {
            if (rm) {
                cli.client().containers().remove(c.id(), new ContainersApi.RemoveOptions(true, false));
            }
        }
        return code;
    }
}
