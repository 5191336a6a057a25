package dev.wharf.cli.command.image;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.Units;
import dev.wharf.client.TransferApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load")
public final class LoadCommand extends WharfCommand {

    @Option(names = {"-i", "--input"}, paramLabel = "string", description = "Read from tar archive file, instead of STDIN")
    String input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireNone(args);
        if (input == null && cli.terminal().isInteractive() && System.console() != null && cli.in() == System.in) {
            throw new Cli.Exit(1, "requested load from stdin, but stdin is empty");
        }
        boolean showProgress = !quiet && cli.terminal().isInteractive();
        try (InputStream in = input == null ? cli.in() : Files.newInputStream(Path.of(input))) {
            TransferApi.of(cli.client()).load(in, !showProgress, m -> {
                if (m.stream() != null) {
                    if (showProgress) {
                        cli.out().print("\n");
                    }
                    cli.out().print(m.stream());
                } else if (m.progressDetail() != null && showProgress) {
                    long cur = ((Number) m.progressDetail().getOrDefault("current", 0)).longValue();
                    long total = ((Number) m.progressDetail().getOrDefault("total", 0)).longValue();
                    cli.out().print("\r" + m.id() + ": " + m.status() + " " + Progress.bar(cur, total) + " "
                            + Units.humanSize(cur) + "/" + Units.humanSize(total));
                }
                cli.out().flush();
            });
        } catch (NoSuchFileException e) {
            throw new Cli.Exit(1, "open " + input + ": no such file or directory");
        }
        return 0;
    }
}
