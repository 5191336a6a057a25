package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.run.Compose;
import dev.wharf.compose.run.ComposeException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf compose down}: stop and remove the project's containers and networks (and volumes with -v). */
@Command(name = "down")
final class DownCommand extends ComposeSubcommand {

    @Option(names = {"-v", "--volumes"}, description = "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers")
    boolean volumes;

    @Option(names = "--rmi", paramLabel = "string", description = "Remove images used by services. \"local\" remove only images that don't have a custom tag (\"local\"|\"all\")")
    String rmi;

    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;

    @Option(names = {"-t", "--timeout"}, paramLabel = "int", description = "Specify a shutdown timeout in seconds")
    Integer timeout;

    @Parameters(arity = "0..*", hidden = true)
    List<String> args;

    @Override
    public Integer call() {
        if (rmi != null && !rmi.equals("all") && !rmi.equals("local")) {
            throw new Cli.UsageError("invalid --rmi option \"" + rmi + "\" (local or all)");
        }
        Project p = opts.projectIfAny();
        String name = p != null ? p.name() : opts.name();
        try {
            opts.compose().down(name, p, new Compose.DownOptions(volumes, rmi, removeOrphans, timeout));
        } catch (ComposeException e) {
            throw new Cli.Exit(1, e.getMessage());
        }
        return 0;
    }
}
