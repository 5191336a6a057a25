package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ApiException;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.CreateResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create")
public final class CreateCommand extends WharfCommand {

    @Mixin
    ContainerFlags flags;

    @Option(names = "--pull", paramLabel = "string", defaultValue = "missing",
            description = "Pull image before creating (\"always\", \"missing\", \"never\") (default \"missing\")")
    String pull;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the pull output")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "IMAGE [COMMAND] [ARG...]")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        String id = create(cli, "create", flags, args.getFirst(), args.subList(1, args.size()), true,
                new PullPolicy(pull, platform, quiet));
        cli.out().println(id);
        return 0;
    }

    /**
     * Creates the container and returns its ID; every failure is an exit 125 with docker's
     * wording. A missing image prints "Unable to find image 'X' locally" first.
     */
    @Override
    public boolean runsInDaemon() {
        return super.runsInDaemon() && !flags.needLocalProcess();
    }

    /** {@code --pull}, {@code --platform} and {@code -q} of run and create. */
    record PullPolicy(String when, String platform, boolean quiet) {
        static final PullPolicy MISSING = new PullPolicy("missing", null, false);
    }

    static String create(Cli cli, String verb, ContainerFlags flags, String image, List<String> command,
            boolean detach) {
        return create(cli, verb, flags, image, command, detach, PullPolicy.MISSING);
    }

    /**
     * As the docker CLI does it: {@code always} pulls first; {@code missing} creates, and on
     * "No such image" prints "Unable to find image 'X' locally", pulls (progress on stderr) and
     * creates again; {@code never} fails there.
     */
    static String create(Cli cli, String verb, ContainerFlags flags, String image, List<String> command,
            boolean detach, PullPolicy pull) {
        String when = pull.when() == null ? "missing" : pull.when();
        if (!List.of("missing", "always", "never").contains(when)) {
            throw new Cli.Exit(125, "wharf: invalid pull option: '" + when
                    + "': must be one of \"always\", \"missing\" or \"never\"\n\nRun 'wharf " + verb
                    + " --help' for more information");
        }
        if (when.equals("always")) {
            pullImage(cli, verb, image, pull);
        }
        try {
            return createOnce(cli, verb, flags, image, command, detach);
        } catch (MissingImage e) {
            cli.err().println("Unable to find image '" + familiar(image) + "' locally");
            if (when.equals("never") || when.equals("always")) {
                throw e.exit;
            }
        }
        pullImage(cli, verb, image, pull);
        try {
            return createOnce(cli, verb, flags, image, command, detach);
        } catch (MissingImage e) {
            throw e.exit;
        }
    }

    private static void pullImage(Cli cli, String verb, String image, PullPolicy pull) {
        try {
            dev.wharf.cli.command.image.PullCommand.pull(cli, image, false, pull.platform(),
                    pull.quiet() ? null : cli.err());
        } catch (ApiException e) {
            throw new Cli.Exit(125, "wharf: Error response from daemon: " + e.getMessage() + "\n\nRun 'wharf " + verb
                    + " --help' for more information");
        }
    }

    /** The daemon does not have the image (yet). */
    private static final class MissingImage extends RuntimeException {
        final Cli.Exit exit;

        MissingImage(Cli.Exit exit) {
            super(exit.getMessage(), null, false, false);
            this.exit = exit;
        }
    }

    private static String createOnce(Cli cli, String verb, ContainerFlags flags, String image, List<String> command,
            boolean detach) {
        int[] size = null;
        if (flags.tty && !detach && cli.terminal().isInteractive()) {
            size = cli.terminal().size();
        }
        ContainerCreateRequest req;
        try {
            req = flags.toRequest(image, command, detach, size, cli.env());
        } catch (IllegalArgumentException e) {
            throw new Cli.Exit(125, "wharf: " + e.getMessage() + "\n\nRun 'wharf " + verb
                    + " --help' for more information");
        }
        try {
            CreateResponse r = cli.client().containers().create(flags.name, req);
            if (r.warnings() != null) {
                r.warnings().forEach(w -> cli.err().println("WARNING: " + w));
            }
            return r.id();
        } catch (ApiException e) {
            Cli.Exit exit = new Cli.Exit(125, "wharf: Error response from daemon: " + e.getMessage()
                    + "\n\nRun 'wharf " + verb + " --help' for more information");
            if (e.status() == 404 && e.getMessage().startsWith("No such image")) {
                throw new MissingImage(exit);
            }
            throw new Cli.Exit(125, "wharf: Error response from daemon: " + e.getMessage() + "\n\nRun 'wharf " + verb
                    + " --help' for more information");
        }
    }

    /** "busybox" → "busybox:latest"; a reference with a tag or digest stays as it is. */
    static String familiar(String image) {
        if (image.contains("@")) {
            return image;
        }
        return image.lastIndexOf(':') > image.lastIndexOf('/') ? image : image + ":latest";
    }
}
