package dev.wharf.cli.command.image;

import dev.wharf.cli.Cli;
import dev.wharf.cli.auth.DockerConfig;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.DistributionApi.PullOptions;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf pull}: docker's flags, progress bars on a terminal, the reference pulled at the end. */
@Command(name = "pull")
public final class PullCommand extends WharfCommand {

    @Option(names = {"-a", "--all-tags"}, description = "Download all tagged images in the repository")
    boolean allTags;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "NAME[:TAG|@DIGEST]")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        String image = args.getFirst();
        String[] repoTag = split(image);
        if (allTags && repoTag[1] != null) {
            throw new Cli.Exit(1, "tag can't be used with --all-tags/-a");
        }
        if (!allTags && repoTag[1] == null && !quiet) {
            cli.out().println("Using default tag: latest");
        }
        pull(cli, image, allTags, platform, quiet ? null : cli.out());
        if (!allTags) {
            cli.out().println(qualified(repoTag[0]) + (repoTag[1] == null ? ":latest"
                    : repoTag[1].startsWith("sha256:") ? "@" + repoTag[1] : ":" + repoTag[1]));
        }
        return 0;
    }

    /** Pulls with the stored credentials of the image's registry, drawing progress on {@code progress} (null: none). */
    public static void pull(Cli cli, String image, boolean all, String platform, PrintStream progress) {
        String[] repoTag = split(image);
        String tag = repoTag[1] == null ? (all ? "" : "latest") : repoTag[1];
        var auth = new DockerConfig(cli.env()).lookup(DockerConfig.registryOf(repoTag[0]));
        ProgressDisplay display = progress == null ? null
                : new ProgressDisplay(progress, cli.terminal().isInteractive());
        cli.client().distribution().pull(new PullOptions(repoTag[0], tag, platform, auth), m -> {
            if (display != null) {
                display.show(m);
            }
        });
    }

    /** {@code repo[:tag]} or {@code repo@digest} → {repo, tag-or-digest (null when absent)}. */
    static String[] split(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return new String[] {image.substring(0, at), image.substring(at + 1)};
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        }
        return new String[] {image, null};
    }

    /** docker's fully qualified name: {@code busybox} is {@code docker.io/library/busybox}. */
    static String qualified(String repo) {
        if (!DockerConfig.registryOf(repo).equals("docker.io")) {
            return repo;
        }
        String r = repo.replaceFirst("^(docker\\.io|index\\.docker\\.io)/", "");
        return "docker.io/" + (r.contains("/") ? r : "library/" + r);
    }
}
