package dev.wharf.cli.command.container;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.image.TagCommand;
import dev.wharf.client.TransferApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit")
public final class CommitCommand extends WharfCommand {

    @Option(names = {"-a", "--author"}, paramLabel = "string", description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
    String author;

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes;

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Commit message")
    String message;

    @Option(names = {"-p", "--pause"}, arity = "0..1", description = "Pause container during commit (default true)")
    boolean pause = true;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER [REPOSITORY[:TAG]]")
    List<String> args;

    @Override
    public Integer call() {
        requireBetween(args, 1, 2);
        String repo = null;
        String tag = null;
        if (args.size() == 2) {
            String[] rt = TagCommand.splitTag(args.get(1));
            repo = rt[0];
            tag = rt[1];
        }
        String id = TransferApi.of(cli.client()).commit(args.get(0),
                new TransferApi.CommitOptions(repo, tag, message, author, changes, pause));
        cli.out().println(id);
        return 0;
    }
}
