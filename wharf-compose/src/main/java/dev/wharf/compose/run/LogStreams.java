package dev.wharf.compose.run;

import dev.wharf.client.ContainersApi;
import dev.wharf.client.OutputSink;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerState;
import dev.wharf.model.container.ContainerSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The logs of several containers merged into one stream, each line prefixed with the container's
 * service and number ({@code web-1  | }), padded to one width and, on a terminal, coloured per
 * container as Docker Compose colours them. Lines are written whole, so two containers never mix
 * within a line.
 */
public final class LogStreams {

    private static final String[] COLORS = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

    /** follow, tail ({@code all} or a number), timestamps, since (unix seconds or null), colour, prefix. */
    public record Options(boolean follow, String tail, boolean timestamps, String since, boolean color,
            boolean prefix) {
    }

    private final WharfClient client;
    private final PrintStream out;

    public LogStreams(WharfClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** The prefix name of a container: {@code service-N}, or its own name for a one-off. */
    static String display(ContainerSummary c) {
        String svc = Observer.label(c, Labels.SERVICE);
        if (svc.isEmpty() || "True".equals(Observer.label(c, Labels.ONEOFF))) {
            return Observer.name(c);
        }
        return svc + "-" + Observer.number(c);
    }

    /** Streams every container's logs until each stream ends (with follow: until each container stops). */
    public void stream(List<ContainerSummary> containers, Options o) {
        streamAll(containers, o, false);
    }

    /**
     * What {@code compose up} shows while attached: "Attaching to" the containers, then their output
     * as {@link #stream} follows it, a line "{@code web-1 exited with code 3}" at each exit, and the
     * output of each run that the restart policy starts after it. Returns once every container
     * stopped for good (exited, or removed).
     */
    public void attach(List<ContainerSummary> containers, Options o) {
        println("Attaching to " + String.join(", ", containers.stream().map(LogStreams::display).toList()));
        streamAll(containers, o, true);
    }

    private void streamAll(List<ContainerSummary> containers, Options o, boolean attach) {
        int width = containers.stream().mapToInt(c -> display(c).length()).max().orElse(0);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            ContainerSummary c = containers.get(i);
            String name = display(c);
            String pad = name + " ".repeat(width - name.length()) + " | ";
            String color = COLORS[i % COLORS.length];
            String prefix = !o.prefix() ? "" : o.color() ? paint(color, pad) : pad;
            String status = o.color() ? paint(color, name) : name;
            threads.add(Thread.ofVirtual().start(() -> {
                if (attach) {
                    attachOne(c, prefix, status, o);
                } else {
                    follow(c, prefix, o, o.since());
                }
            }));
        }
        ImageSupplier.join(threads);
    }

    private static String paint(String color, String text) {
        return "\u001b[" + color + "m" + text + "\u001b[0m";
    }

    /** Follows one container across the runs its restart policy makes, with a line at each exit. */
    private void attachOne(ContainerSummary c, String prefix, String status, Options o) {
        String since = o.since();
        ContainerState before;
        while ((before = follow(c, prefix, o, since)) != null) {
            ContainerState st;
            try {
                st = client.containers().inspect(c.id()).state();
            } catch (RuntimeException e) {
                return; // removed
            }
            if (st.running() && !st.restarting()) {
                if (st.startedAt().equals(before.startedAt())) {
                    return; // the same run goes on: the stream broke, and following again would repeat it
                }
                since = unixTime(st.startedAt()); // restarted before this look; that exit's code is gone
                continue;
            }
            println(status + " exited with code " + st.exitCode());
            if (!st.restarting() || !awaitRestart(c)) {
                return;
            }
            since = unixTime(st.finishedAt());
        }
    }

    /** An RFC 3339 time of inspect as the logs API's {@code since} takes it: Unix seconds and nanoseconds. */
    static String unixTime(String rfc3339) {
        Instant t = Instant.parse(rfc3339);
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    /** Waits while the container is restarting; whether it runs again. */
    private boolean awaitRestart(ContainerSummary c) {
        while (true) {
            try {
                Thread.sleep(100);
                ContainerState st = client.containers().inspect(c.id()).state();
                if (!st.restarting()) {
                    return st.running();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** Prints the container's logs from {@code since}; its state as the stream began, or null when it is gone. */
    private ContainerState follow(ContainerSummary c, String prefix, Options o, String since) {
        LineSink sink = new LineSink(prefix);
        try {
            ContainerInspect ci;
            try {
                ci = client.containers().inspect(c.id());
            } catch (RuntimeException e) {
                return null;
            }
            client.containers().logs(c.id(), new ContainersApi.LogsOptions(o.follow(), o.tail(), o.timestamps(),
                    since, null, true, true, ci.config().tty()), sink);
            return ci.state();
        } catch (RuntimeException e) {
            return null; // the container went away: its stream simply ends
        } finally {
            sink.flush();
        }
    }

    private void println(String line) {
        synchronized (out) {
            out.print(line + "\n");
            out.flush();
        }
    }

    /** Cuts a container's output into lines and prints each with the prefix, in one write. */
    private final class LineSink implements OutputSink {
        private final String prefix;
        private final StringBuilder partial = new StringBuilder();

        LineSink(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void stdout(byte[] buf, int off, int len) throws IOException {
            add(new String(buf, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void stderr(byte[] buf, int off, int len) throws IOException {
            add(new String(buf, off, len, StandardCharsets.UTF_8));
        }

        private synchronized void add(String s) {
            partial.append(s);
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, nl);
                partial.delete(0, nl + 1);
                emit(line);
            }
        }

        synchronized void flush() {
            if (!partial.isEmpty()) {
                emit(partial.toString());
                partial.setLength(0);
            }
        }

        private void emit(String line) {
            println(prefix + (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
        }
    }
}
