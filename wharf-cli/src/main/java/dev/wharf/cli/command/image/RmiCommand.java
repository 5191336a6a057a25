package dev.wharf.cli.command.image;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ImagesApi.RemoveOptions;
import dev.wharf.model.image.DeleteItem;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmi")
public final class RmiCommand extends WharfCommand {

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents")
    boolean noPrune;

    @Parameters(arity = "0..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() {
        requireAtLeast(images, 1);
        RemoveOptions opts = new RemoveOptions(force, noPrune);
        return EachArg.run(cli, images, name -> {
            StringBuilder sb = new StringBuilder();
            for (DeleteItem d : cli.client().images().remove(name, opts)) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(d.deleted() != null ? "Deleted: " + d.deleted() : "Untagged: " + d.untagged());
            }
            return sb.isEmpty() ? null : sb.toString();
        });
    }
}
