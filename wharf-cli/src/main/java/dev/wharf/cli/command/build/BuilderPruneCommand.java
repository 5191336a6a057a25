package dev.wharf.cli.command.build;

import dev.wharf.cli.command.Confirm;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.Units;
import dev.wharf.model.build.BuildPruneResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf builder prune}: removes dangling build cache (with {@code -a}, cache mounts and all). */
@Command(name = "builder prune")
public final class BuilderPruneCommand extends WharfCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        if (!force && !Confirm.ask(cli, all ? "This will remove all build cache."
                : "This will remove all dangling build cache.")) {
            return 0;
        }
        BuildPruneResponse r = cli.client().builds().prune(all);
        if (r.cachesDeleted() != null && !r.cachesDeleted().isEmpty()) {
            cli.out().println("Deleted build cache objects:");
            r.cachesDeleted().forEach(id -> cli.out().println(id.startsWith("sha256:") ? id.substring(7) : id));
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.spaceReclaimed()));
        return 0;
    }
}
