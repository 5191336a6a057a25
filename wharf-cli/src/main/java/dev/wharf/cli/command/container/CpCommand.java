package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.image.Progress;
import dev.wharf.client.TransferApi;
import dev.wharf.client.transport.HttpResponse;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf cp CONTAINER:SRC -} writes the tar to stdout; {@code wharf cp - CONTAINER:DIR}
 * extracts a tar from stdin into a directory of the container. Host paths need a tar
 * implementation on the client side and are not supported yet: pipe through {@code tar}.
 */
@Command(name = "cp")
public final class CpCommand extends WharfCommand {

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "SRC_PATH DEST_PATH")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireExactly(args, 2);
        String src = args.get(0);
        String dst = args.get(1);
        int sc = containerSep(src);
        int dc = containerSep(dst);
        TransferApi api = TransferApi.of(cli.client());
        if (sc > 0 && dc < 0) {
            if (!dst.equals("-")) {
                throw new Cli.Exit(1, "copying to a host path is not supported yet; use: wharf cp "
                        + src + " - | tar -x -C " + dst);
            }
            try (HttpResponse r = api.archive(src.substring(0, sc), src.substring(sc + 1))) {
                Progress.copy(r.body(), cli.out(), cli.err(), false, "");
                cli.out().flush();
            }
            return 0;
        }
        if (dc > 0 && sc < 0) {
            if (!src.equals("-")) {
                throw new Cli.Exit(1, "copying from a host path is not supported yet; use: tar -c -C "
                        + src + " . | wharf cp - " + dst);
            }
            api.extract(dst.substring(0, dc), dst.substring(dc + 1), cli.in(), true);
            return 0;
        }
        throw new Cli.Exit(1, "must specify at least one container source");
    }

    /** docker's rule: a colon before any slash separates CONTAINER:PATH; a path starting with / or . is local. */
    private static int containerSep(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) {
            return -1;
        }
        int colon = arg.indexOf(':');
        int slash = arg.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash) ? colon : -1;
    }
}
