package dev.wharf.cli.command.compose;

import dev.wharf.compose.run.LogStreams;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf compose logs}: the services' output merged, each line prefixed (and coloured) by its container. */
@Command(name = "logs")
final class LogsCommand extends ComposeSubcommand {

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "string", defaultValue = "all", description = "Number of lines to show from the end of the logs for each container")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--since", paramLabel = "string", description = "Show logs since timestamp (unix seconds)")
    String since;

    @Mixin
    LogFlags output = new LogFlags();

    @Option(names = "--index", paramLabel = "int", description = "index of the container if service has multiple replicas")
    Integer index;

    @Parameters(arity = "0..*", paramLabel = "SERVICE")
    List<String> services;

    @Override
    public Integer call() {
        var cs = opts.compose().containers(opts.name(), orEmpty(services), true, false).stream()
                .filter(c -> index == null || String.valueOf(index).equals(
                        c.labels().get(dev.wharf.compose.model.Labels.CONTAINER_NUMBER)))
                .toList();
        new LogStreams(cli.client(), cli.out()).stream(cs, output.options(follow, tail, timestamps, since, opts));
        return 0;
    }
}
