package dev.wharf.cli.command.network;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.InspectOutput;
import dev.wharf.client.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf network inspect NETWORK...}: the JSON array docker prints, or a template per network. */
@Command(name = "network inspect")
public final class NetworkInspectCommand extends WharfCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Verbose output for diagnostics")
    boolean verbose;

    @Parameters(arity = "0..*", paramLabel = "NETWORK")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireAtLeast(args, 1);
        List<String> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            try {
                found.add(new String(cli.client().networks().inspectRaw(name), StandardCharsets.UTF_8).strip());
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        InspectOutput.print(cli.out(), cli.err(), format, found, errors);
        return 0;
    }
}
