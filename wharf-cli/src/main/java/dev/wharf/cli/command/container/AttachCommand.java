package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi.PendingWait;
import dev.wharf.client.ContainersApi.WaitOptions;
import dev.wharf.model.container.ContainerInspect;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach")
public final class AttachCommand extends WharfCommand {

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Proxy all received signals to the process (default true)")
    boolean sigProxy;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        ContainerInspect c = cli.client().containers().inspect(args.getFirst());
        if (c.state() == null || !c.state().running()) {
            throw new Cli.Exit(1, "You cannot attach to a stopped container, start it first");
        }
        if (c.state().paused()) {
            throw new Cli.Exit(1, "You cannot attach to a paused container, unpause it first");
        }
        boolean tty = c.config() != null && c.config().tty();
        boolean stdin = !noStdin && c.config() != null && c.config().openStdin();
        try (PendingWait wait = cli.client().containers().openWait(c.id(), WaitOptions.notRunning());
                StreamSession s = StreamSession.attach(cli, c.id(), tty, stdin, true, true)) {
            s.setUpTerminal(stdin);
            s.resize();
            if (sigProxy) {
                s.proxySignals();
            }
            s.copyOutput();
            return (int) wait.await().statusCode();
        }
    }
}
