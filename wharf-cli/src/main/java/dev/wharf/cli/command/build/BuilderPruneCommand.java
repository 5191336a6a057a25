package dev.wharf.cli.command.build;

import dev.wharf.cli.command.PruneCommand;
import dev.wharf.model.build.BuildPruneResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf builder prune}: removes dangling build cache (with {@code -a}, cache mounts and all). */
@Command(name = "builder prune")
public final class BuilderPruneCommand extends PruneCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones")
    boolean all;

    @Override
    protected String warning() {
        return all ? "This will remove all build cache." : "This will remove all dangling build cache.";
    }

    @Override
    protected long prune() {
        BuildPruneResponse r = cli.client().builds().prune(all);
        printDeleted(cli.out(), "Deleted build cache objects", r.cachesDeleted() == null ? null
                : r.cachesDeleted().stream().map(id -> id.startsWith("sha256:") ? id.substring(7) : id).toList());
        return r.spaceReclaimed();
    }
}
