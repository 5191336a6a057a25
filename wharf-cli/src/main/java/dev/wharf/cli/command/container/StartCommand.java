package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ApiException;
import dev.wharf.client.ContainersApi;
import dev.wharf.client.ContainersApi.PendingWait;
import dev.wharf.client.ContainersApi.WaitOptions;
import dev.wharf.model.container.WaitResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start")
public final class StartCommand extends WharfCommand {

    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public boolean runsInDaemon() {
        return super.runsInDaemon() && !attach && !interactive;
    }

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        if (attach || interactive) {
            if (containers.size() > 1) {
                throw new Cli.Exit(1, "you cannot start and attach multiple containers at once");
            }
            return startAttached(containers.getFirst());
        }
        List<String> failed = new ArrayList<>();
        for (String c : containers) {
            try {
                cli.client().containers().start(c);
                cli.out().println(c);
            } catch (ApiException e) {
                cli.out().flush();
                cli.err().println(EachArg.daemonError(e));
                failed.add(c);
            }
        }
        if (!failed.isEmpty()) {
            throw new Cli.Exit(1, "Error: failed to start containers: " + String.join(", ", failed));
        }
        return 0;
    }

    /** docker's order: inspect, attach, wait next-exit, start. */
    private int startAttached(String name) {
        ContainersApi.Brief c = cli.client().containers().brief(name);
        boolean tty = c.tty();
        boolean stdin = interactive && c.openStdin();
        try (StreamSession s = StreamSession.attach(cli, c.id(), tty, stdin, true, true);
                PendingWait wait = cli.client().containers().openWait(c.id(), new WaitOptions("next-exit"))) {
            if (!c.running()) {
                cli.client().containers().start(c.id());
            }
            s.setUpTerminal(stdin);
            s.resize();
            s.proxySignals();
            s.copyOutput();
            WaitResponse r = wait.await();
            return (int) r.statusCode();
        }
    }
}
