package dev.wharf.cli.command.image;

import dev.wharf.cli.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Option;

/**
 * The {@code -o, --output} of the commands that write a tar ({@code save}, {@code export}): to a
 * file, which appears whole or not at all, or to a standard output that is not a terminal.
 */
public final class TarOutput {

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    /**
     * Fails, as docker does, before asking the daemon for a tar that would go to a terminal or to a
     * path that cannot be written; {@code failure} leads the message ("failed to save image").
     */
    public void check(Cli cli, String failure) {
        if (output == null) {
            if (cli.terminal().isInteractive() && System.console() != null && cli.out() == System.out) {
                throw new Cli.Exit(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }
            return;
        }
        Path target = Path.of(output).toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new Cli.Exit(1, failure + ": invalid output path: directory \"" + Path.of(output).normalize().getParent()
                    + "\" does not exist");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new Cli.Exit(1, failure + ": invalid output path: \"" + output + "\" must be a regular file");
        }
    }

    /**
     * Copies the tar to the file or standard output; a file is written beside its target and renamed
     * over it when complete, with the bytes written shown on a terminal under {@code label}.
     */
    public void write(Cli cli, InputStream tar, String label) throws IOException {
        if (output == null) {
            Progress.copy(tar, cli.out(), cli.err(), false, "");
            cli.out().flush();
            return;
        }
        Path target = Path.of(output);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".wharf-save");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            Progress.copy(tar, out, cli.err(), cli.terminal().isInteractive(), label);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
