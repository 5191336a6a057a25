package dev.wharf.cli.command.network;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.InspectOutput;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf network inspect NETWORK...}: the JSON array docker prints, or a template per network. */
@Command(name = "network inspect")
public final class NetworkInspectCommand extends WharfCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.OBJECT)
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Verbose output for diagnostics")
    boolean verbose;

    @Parameters(arity = "0..*", paramLabel = "NETWORK")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireAtLeast(args, 1);
        InspectOutput.printEach(cli.out(), cli.err(), format, args, cli.client().networks()::inspectRaw);
        return 0;
    }
}
