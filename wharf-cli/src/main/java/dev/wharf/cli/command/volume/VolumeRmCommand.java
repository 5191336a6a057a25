package dev.wharf.cli.command.volume;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf volume rm [-f] VOLUME...}. */
@Command(name = "volume rm")
public final class VolumeRmCommand extends WharfCommand {

    @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
    boolean force;

    @Parameters(arity = "0..*", paramLabel = "VOLUME")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        return EachArg.run(cli, args, name -> {
            cli.client().volumes().remove(name, force);
            return name;
        });
    }
}
