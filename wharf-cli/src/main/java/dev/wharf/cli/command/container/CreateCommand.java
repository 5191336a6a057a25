package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ApiException;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.CreateResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "create")
public final class CreateCommand extends WharfCommand {

    @Mixin
    ContainerFlags flags;

    @Parameters(arity = "0..*", paramLabel = "IMAGE [COMMAND] [ARG...]")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        String id = create(cli, "create", flags, args.getFirst(), args.subList(1, args.size()), true);
        cli.out().println(id);
        return 0;
    }

    /**
     * Creates the container and returns its ID; every failure is an exit 125 with docker's
     * wording. A missing image prints "Unable to find image 'X' locally" first.
     */
    static String create(Cli cli, String verb, ContainerFlags flags, String image, List<String> command,
            boolean detach) {
        int[] size = null;
        if (flags.tty && !detach && cli.terminal().isInteractive()) {
            size = cli.terminal().size();
        }
        ContainerCreateRequest req;
        try {
            req = flags.toRequest(image, command, detach, size, System.getenv());
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
            if (e.status() == 404 && e.getMessage().startsWith("No such image")) {
                cli.err().println("Unable to find image '" + familiar(image) + "' locally");
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
