package dev.wharf.cli.command.container;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.image.TarOutput;
import dev.wharf.client.TransferApi;
import dev.wharf.client.transport.HttpResponse;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "export")
public final class ExportCommand extends WharfCommand {

    @Mixin
    TarOutput output = new TarOutput();

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireExactly(args, 1);
        output.check(cli, "failed to export container");
        try (HttpResponse r = TransferApi.of(cli.client()).export(args.get(0))) {
            output.write(cli, r.body(), "Exported");
        }
        return 0;
    }
}
