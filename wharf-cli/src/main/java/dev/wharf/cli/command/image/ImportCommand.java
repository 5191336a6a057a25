package dev.wharf.cli.command.image;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ImagesApi.ImportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import")
public final class ImportCommand extends WharfCommand {

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes;

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Set commit message for imported image")
    String message;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Parameters(arity = "0..*", paramLabel = "file|URL|-")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireBetween(args, 1, 2);
        String source = args.get(0);
        String repo = args.size() > 1 ? args.get(1) : null;
        boolean url = source.contains("://");
        ImportOptions opts = new ImportOptions(url ? source : null, repo, null, changes, message, platform);
        InputStream in = null;
        try {
            if (!url) {
                in = source.equals("-") ? cli.in() : Files.newInputStream(Path.of(source));
            }
            cli.client().images().importImage(in, opts, m -> {
                if (m.status() != null) {
                    cli.out().println(m.id() != null ? m.id() + ": " + m.status() : m.status());
                } else if (m.stream() != null) {
                    cli.out().print(m.stream());
                }
            });
        } catch (NoSuchFileException e) {
            throw new dev.wharf.cli.Cli.Exit(1, "open " + source + ": no such file or directory");
        } finally {
            if (in != null && in != cli.in()) {
                in.close();
            }
        }
        return 0;
    }
}
