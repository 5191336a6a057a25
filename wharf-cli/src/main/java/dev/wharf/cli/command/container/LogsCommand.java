package dev.wharf.cli.command.container;

import dev.wharf.base.time.GoDuration;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ContainersApi;
import dev.wharf.client.ContainersApi.LogsOptions;
import dev.wharf.client.OutputSink;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs")
public final class LogsCommand extends WharfCommand {

    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = "--since", paramLabel = "string",
            description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String since;

    @Option(names = {"-n", "--tail"}, paramLabel = "string", defaultValue = "all",
            description = "Number of lines to show from the end of the logs (default \"all\")")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--until", paramLabel = "string",
            description = "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String until;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        ContainersApi.Brief c = cli.client().containers().brief(args.getFirst());
        boolean tty = c.tty();
        Instant now = cli.now();
        cli.client().containers().logs(c.id(), new LogsOptions(follow, tail, timestamps, timestamp(since, now),
                timestamp(until, now), true, true, tty), OutputSink.of(cli.out(), cli.err()));
        return 0;
    }

    /**
     * docker's GetTimestamp: a relative duration ("42m", "1h30m", "10s"), an RFC 3339 time, a
     * date, or unix seconds; sent as unix seconds.
     */
    static String timestamp(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.matches("-?\\d+(\\.\\d+)?")) {
            return v;
        }
        Long d = GoDuration.nanosOrNull(v);
        if (d != null) {
            Instant t = now.minusNanos(d);
            return t.getEpochSecond() + (t.getNano() == 0 ? "" : String.format(".%09d", t.getNano()));
        }
        try {
            Instant t = OffsetDateTime.parse(v).toInstant();
            return t.getEpochSecond() + (t.getNano() == 0 ? "" : String.format(".%09d", t.getNano()));
        } catch (DateTimeParseException e) {
            // try the shorter forms
        }
        try {
            return Long.toString(Instant.parse(v.length() == 10 ? v + "T00:00:00Z" : v + "Z").getEpochSecond());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid value for \"since\"/\"until\": " + value);
        }
    }
}
