package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ApiException;
import dev.wharf.client.ContainersApi.PendingWait;
import dev.wharf.client.ContainersApi.WaitOptions;
import dev.wharf.client.WharfClientException;
import dev.wharf.model.container.WaitResponse;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf run}, in docker's order: create; attach (when attached) before start; open
 * {@code wait?condition=next-exit} (or {@code removed} with --rm) before start; start; resize for
 * a TTY; stream; exit with the container's status. Failures before the container runs exit 125,
 * or 126/127 when the command cannot be executed.
 */
@Command(name = "run")
public final class RunCommand extends WharfCommand {

    @Mixin
    ContainerFlags flags;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Proxy received signals to the process (default true)")
    boolean sigProxy;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the pull output")
    boolean quiet;

    @Option(names = "--pull", paramLabel = "string", defaultValue = "missing",
            description = "Pull image before running (\"always\", \"missing\", \"never\") (default \"missing\")")
    String pull;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Parameters(arity = "0..*", paramLabel = "IMAGE [COMMAND] [ARG...]")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        String image = args.getFirst();
        cli.terminal().checkTty(!detach && flags.attachStdin(detach), flags.tty);
        String id = CreateCommand.create(cli, "run", flags, image, args.subList(1, args.size()), detach,
                new CreateCommand.PullPolicy(pull, platform, quiet));
        boolean stdin = flags.attachStdin(detach);
        boolean attached = !detach;
        StreamSession session = null;
        PendingWait wait = null;
        try {
            if (attached) {
                session = StreamSession.attach(cli, id, flags.tty, stdin, flags.attachStdout(false),
                        flags.attachStderr(false));
            }
            wait = cli.client().containers().openWait(id, new WaitOptions(flags.rm ? "removed" : "next-exit"));
        } catch (ApiException e) {
            close(session, wait);
            throw runError(e.getMessage(), 125);
        }
        try {
            cli.client().containers().start(id);
        } catch (ApiException e) {
            close(session, wait);
            throw runError(e.getMessage(), startExitCode(e.getMessage()));
        }
        if (detach) {
            wait.close();
            cli.out().println(id);
            return 0;
        }
        try (StreamSession s = session) {
            s.setUpTerminal(stdin);
            s.resize();
            if (sigProxy) {
                s.proxySignals();
            }
            s.copyOutput();
        }
        WaitResponse r;
        try {
            r = wait.await();
        } catch (WharfClientException e) {
            throw runError(e.getMessage(), 125);
        }
        if (r.error() != null && r.error().message() != null && !r.error().message().isEmpty()) {
            throw runError(r.error().message(), 125);
        }
        return (int) r.statusCode();
    }

    @Override
    public boolean runsInDaemon() {
        return super.runsInDaemon() && !flags.needLocalProcess();
    }

    private static void close(StreamSession s, PendingWait w) {
        if (s != null) {
            s.close();
        }
        if (w != null) {
            w.close();
        }
    }

    /** docker's exit code for a failed start, from the error's text. */
    public static int startExitCode(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return 127;
        }
        if (m.contains("permission denied") || m.contains("is a directory")) {
            return 126;
        }
        return 125;
    }

    static Cli.Exit runError(String daemonMessage, int code) {
        return new Cli.Exit(code, "wharf: Error response from daemon: " + daemonMessage
                + "\n\nRun 'wharf run --help' for more information");
    }
}
