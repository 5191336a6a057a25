package dev.wharf.cli.command.container;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecInspect;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf exec}: create an exec, start it attached (or detached), exit with its exit code. */
@Command(name = "exec")
public final class ExecCommand extends WharfCommand {

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-u", "--user"}, paramLabel = "string",
            description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env;

    @Option(names = "--privileged", description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER COMMAND [ARG...]")
    List<String> args;

    @Override
    public boolean runsInDaemon() {
        return super.runsInDaemon() && !interactive && !tty;
    }

    @Override
    public Integer call() {
        requireAtLeast(args, 2);
        String container = args.getFirst();
        List<String> cmd = List.copyOf(args.subList(1, args.size()));
        List<String> environment = new ArrayList<>();
        for (String e : orEmpty(env)) {
            environment.add(e.contains("=") ? e : e + "=" + cli.env().getOrDefault(e, ""));
        }
        boolean stdin = interactive && !detach;
        cli.terminal().checkTty(stdin, tty);
        var req = new ExecCreateRequest(user, privileged, tty, null, stdin, !detach, !detach, detach, detachKeys,
                environment.isEmpty() ? null : environment, workdir, cmd);
        String id = cli.client().exec().create(container, req).id();
        if (detach) {
            cli.client().exec().startDetached(id);
            return 0;
        }
        try (StreamSession s = StreamSession.exec(cli, id, tty)) {
            s.setUpTerminal(stdin);
            s.resize();
            s.pumpStdin(stdin);
            s.copyOutput();
        }
        ExecInspect r = cli.client().exec().inspect(id);
        return r.exitCode() == null ? 0 : r.exitCode();
    }
}
