package dev.wharf.cli.command.image;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.TransferApi;
import dev.wharf.client.transport.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "save")
public final class SaveCommand extends WharfCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    @Parameters(arity = "0..*", paramLabel = "IMAGE")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireAtLeast(args, 1);
        if (output == null && cli.terminal().isInteractive() && System.console() != null && cli.out() == System.out) {
            throw new Cli.Exit(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        try (HttpResponse r = TransferApi.of(cli.client()).save(args)) {
            if (output == null) {
                Progress.copy(r.body(), cli.out(), cli.err(), false, "");
                cli.out().flush();
                return 0;
            }
            Path target = Path.of(output);
            Path tmp = target.resolveSibling("." + target.getFileName() + ".wharf-save");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                Progress.copy(r.body(), out, cli.err(), cli.terminal().isInteractive(), "Saved");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return 0;
    }
}
