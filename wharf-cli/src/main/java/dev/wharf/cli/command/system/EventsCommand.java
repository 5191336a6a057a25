package dev.wharf.cli.command.system;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.GoTemplate;
import dev.wharf.client.SystemApi.EventsOptions;
import dev.wharf.model.Json;
import dev.wharf.model.event.EventMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf events [--since] [--until] [--filter k=v]... [--format]}: the daemon's events, one
 * a line, as {@code docker events} prints them: time, type, action, actor and its attributes.
 */
@Command(name = "events")
public final class EventsCommand extends WharfCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnXXX");

    @Option(names = "--since", paramLabel = "string", description = "Show all events created since timestamp")
    String since;
    @Option(names = "--until", paramLabel = "string", description = "Stream events until this timestamp")
    String until;
    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters;
    @Option(names = "--format", paramLabel = "string", description = FormatHelp.OBJECT)
    String format;

    @Override
    public Integer call() {
        Map<String, Set<String>> f = new LinkedHashMap<>();
        for (String kv : filters == null ? List.<String>of() : filters) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                cli.err().println("invalid argument \"" + kv + "\" for \"-f, --filter\" flag: bad format of filter "
                        + "(expected name=value)");
                return 125;
            }
            f.computeIfAbsent(kv.substring(0, eq), k -> new LinkedHashSet<>()).add(kv.substring(eq + 1));
        }
        GoTemplate t = format == null || format.isEmpty() ? null
                : GoTemplate.ofFormat(format);
        cli.client().system().events(new EventsOptions(time(since), time(until), f), e -> {
            cli.out().println(t == null ? line(e) : t.execute(Json.mapper().valueToTree(e)));
            cli.out().flush();
        });
        return 0;
    }

    /** docker's relative times ("10m", "1h30m") become unix seconds; other forms go as given. */
    static String time(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.matches("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+")) {
            java.time.Duration d = java.time.Duration.ZERO;
            var m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
            while (m.find()) {
                double v = Double.parseDouble(m.group(1));
                long nanos = (long) (v * switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                });
                d = d.plusNanos(nanos);
            }
            Instant at = Instant.now().minus(d);
            return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
        }
        return s;
    }

    /** {@code 2026-11-28T16:11:19.447629879Z container start <id> (image=busybox, name=web)}. */
    static String line(EventMessage e) {
        StringBuilder b = new StringBuilder();
        Instant at = Instant.ofEpochSecond(0, e.timeNano());
        b.append(TIME.format(at.atZone(ZoneId.systemDefault()))).append(' ').append(e.type()).append(' ')
                .append(e.action()).append(' ').append(e.actor() == null ? "" : e.actor().id());
        Map<String, String> attrs = e.actor() == null || e.actor().attributes() == null ? Map.of()
                : new TreeMap<>(e.actor().attributes());
        if (!attrs.isEmpty()) {
            b.append(" (");
            boolean first = true;
            for (Map.Entry<String, String> a : attrs.entrySet()) {
                b.append(first ? "" : ", ").append(a.getKey()).append('=').append(a.getValue());
                first = false;
            }
            b.append(')');
        }
        return b.toString();
    }
}
