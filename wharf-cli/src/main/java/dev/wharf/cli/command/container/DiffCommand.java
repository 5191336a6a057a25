package dev.wharf.cli.command.container;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.TransferApi;
import dev.wharf.model.container.ChangeItem;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff")
public final class DiffCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        for (ChangeItem c : TransferApi.of(cli.client()).changes(args.get(0))) {
            String kind = switch (c.kind()) {
                case 0 -> "C";
                case 1 -> "A";
                case 2 -> "D";
                default -> "?";
            };
            cli.out().println(kind + " " + c.path());
        }
        return 0;
    }
}
