package dev.wharf.cli.command.system;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.InspectOutput;
import dev.wharf.client.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect")
public final class InspectCommand extends WharfCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.OBJECT)
    String format;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;

    @Option(names = "--type", paramLabel = "string", description = "Only inspect objects of the given type")
    String type;

    @Parameters(arity = "0..*", paramLabel = "NAME|ID")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireAtLeast(args, 1);
        if (type != null && !type.equals("container") && !type.equals("image")) {
            throw new Cli.Exit(1, "\"" + type + "\" is not a valid value for --type");
        }
        List<String> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            byte[] raw = find(name);
            if (raw == null) {
                errors.add("Error: No such " + (type == null ? "object" : type) + ": " + name);
            } else {
                found.add(new String(raw, StandardCharsets.UTF_8).strip());
            }
        }
        InspectOutput.print(cli.out(), cli.err(), format, found, errors);
        return 0;
    }

    /** Containers first, then images, as docker does; null when neither knows the name. */
    private byte[] find(String name) {
        if (type == null || type.equals("container")) {
            try {
                return cli.client().containers().inspectRaw(name);
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (type == null || type.equals("image")) {
            try {
                return cli.client().images().inspectRaw(name);
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return null;
    }
}
