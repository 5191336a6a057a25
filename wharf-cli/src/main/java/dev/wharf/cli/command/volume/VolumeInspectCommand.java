package dev.wharf.cli.command.volume;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.InspectOutput;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf volume inspect VOLUME...}: the JSON array docker prints, or a template per volume. */
@Command(name = "volume inspect")
public final class VolumeInspectCommand extends WharfCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.OBJECT)
    String format;

    @Parameters(arity = "0..*", paramLabel = "VOLUME")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireAtLeast(args, 1);
        InspectOutput.printEach(cli.out(), cli.err(), format, args, cli.client().volumes()::inspectRaw);
        return 0;
    }
}
