package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.image.Progress;
import dev.wharf.client.TransferApi;
import dev.wharf.client.transport.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export")
public final class ExportCommand extends WharfCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireExactly(args, 1);
        if (output == null && cli.terminal().isInteractive() && System.console() != null && cli.out() == System.out) {
            throw new Cli.Exit(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        try (HttpResponse r = TransferApi.of(cli.client()).export(args.get(0))) {
            if (output == null) {
                Progress.copy(r.body(), cli.out(), cli.err(), false, "");
                cli.out().flush();
            } else {
                try (OutputStream out = Files.newOutputStream(Path.of(output))) {
                    Progress.copy(r.body(), out, cli.err(), false, "");
                }
            }
        }
        return 0;
    }
}
