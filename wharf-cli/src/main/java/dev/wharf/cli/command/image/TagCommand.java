package dev.wharf.cli.command.image;

import dev.wharf.cli.command.WharfCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag")
public final class TagCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "IMAGE")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 2);
        String[] target = splitTag(args.get(1));
        cli.client().images().tag(args.get(0), target[0], target[1]);
        return 0;
    }

    /** "repo[:tag]" → {repo, tag}, the tag "latest" when absent; a registry port is not a tag. */
    public static String[] splitTag(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new String[] {ref.substring(0, at), ref.substring(at + 1)};
        }
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        }
        return new String[] {ref, "latest"};
    }
}
