package dev.wharf.cli.command.image;

import dev.wharf.cli.Cli;
import dev.wharf.cli.auth.DockerConfig;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.DistributionApi.PushOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf push}: docker's flags and progress bars. */
@Command(name = "push")
public final class PushCommand extends WharfCommand {

    @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "NAME[:TAG]")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        String[] repoTag = PullCommand.split(args.getFirst());
        if (allTags && repoTag[1] != null) {
            throw new Cli.Exit(1, "tag can't be used with --all-tags/-a");
        }
        if (!allTags && repoTag[1] == null && !quiet) {
            cli.out().println("Using default tag: latest");
        }
        String tag = repoTag[1] == null ? (allTags ? "" : "latest") : repoTag[1];
        var auth = new DockerConfig(cli.env()).lookup(DockerConfig.registryOf(repoTag[0]));
        ProgressDisplay display = new ProgressDisplay(cli.out(), cli.terminal().isInteractive());
        cli.client().distribution().push(new PushOptions(repoTag[0], tag, auth), m -> {
            if (!quiet) {
                display.show(m);
            }
        });
        if (quiet) {
            cli.out().println(args.getFirst());
        }
        return 0;
    }
}
