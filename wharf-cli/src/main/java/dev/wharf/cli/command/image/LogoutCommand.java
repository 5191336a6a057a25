package dev.wharf.cli.command.image;

import dev.wharf.cli.auth.DockerConfig;
import dev.wharf.cli.command.WharfCommand;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wharf logout}: forgets the stored credentials of a registry. */
@Command(name = "logout")
public final class LogoutCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "SERVER")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireBetween(args, 0, 1);
        String server = DockerConfig.key(orEmpty(args).isEmpty() ? DockerConfig.HUB : args.getFirst());
        if (new DockerConfig(cli.env()).erase(server)) {
            cli.out().println("Removing login credentials for " + server);
        } else {
            cli.out().println("Not logged in to " + server);
        }
        return 0;
    }
}
