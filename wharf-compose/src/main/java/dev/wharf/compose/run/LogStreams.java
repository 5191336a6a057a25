package dev.wharf.compose.run;

import dev.wharf.client.ContainersApi;
import dev.wharf.client.OutputSink;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.model.container.ContainerSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        int width = containers.stream().mapToInt(c -> display(c).length()).max().orElse(0);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            ContainerSummary c = containers.get(i);
            String name = display(c);
            String pad = name + " ".repeat(width - name.length()) + " | ";
            String prefix = !o.prefix() ? "" : o.color() ? "\u001b[" + COLORS[i % COLORS.length] + "m" + pad + "\u001b[0m"
                    : pad;
            threads.add(Thread.ofVirtual().start(() -> follow(c, prefix, o)));
        }
        ImageSupplier.join(threads);
    }

    private void follow(ContainerSummary c, String prefix, Options o) {
        LineSink sink = new LineSink(prefix);
        try {
            boolean tty = false;
            try {
                tty = client.containers().inspect(c.id()).config().tty();
            } catch (RuntimeException e) {
                return;
            }
            client.containers().logs(c.id(), new ContainersApi.LogsOptions(o.follow(), o.tail(), o.timestamps(),
                    o.since(), null, true, true, tty), sink);
        } catch (RuntimeException e) {
            // the container went away: its stream simply ends
        } finally {
            sink.flush();
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
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            synchronized (out) {
                out.print(prefix + l + "\n");
                out.flush();
            }
        }
    }
}
