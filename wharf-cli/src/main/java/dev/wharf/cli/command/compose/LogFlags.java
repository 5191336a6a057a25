package dev.wharf.cli.command.compose;

import dev.wharf.compose.run.LogStreams;
import picocli.CommandLine.Option;

/** How {@code compose logs} and {@code compose up} print the services' output (a picocli mixin). */
final class LogFlags {

    @Option(names = "--no-color", description = "Produce monochrome output")
    boolean noColor;

    @Option(names = "--no-log-prefix", description = "Don't print prefix in logs")
    boolean noLogPrefix;

    /** The stream options; colour only where the compose options allow it too. */
    LogStreams.Options options(boolean follow, String tail, boolean timestamps, String since, ComposeOptions opts) {
        return new LogStreams.Options(follow, tail, timestamps, since, !noColor && opts.color(), !noLogPrefix);
    }
}
