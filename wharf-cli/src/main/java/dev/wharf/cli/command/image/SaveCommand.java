package dev.wharf.cli.command.image;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.TransferApi;
import dev.wharf.client.transport.HttpResponse;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "save")
public final class SaveCommand extends WharfCommand {

    @Mixin
    TarOutput output = new TarOutput();

    @Parameters(arity = "0..*", paramLabel = "IMAGE")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireAtLeast(args, 1);
        output.check(cli, "failed to save image");
        try (HttpResponse r = TransferApi.of(cli.client()).save(args)) {
            output.write(cli, r.body(), "Saved");
        }
        return 0;
    }
}
