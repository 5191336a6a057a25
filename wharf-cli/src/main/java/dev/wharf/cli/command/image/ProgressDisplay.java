package dev.wharf.cli.command.image;

import dev.wharf.model.common.ProgressMessage;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Draws a JSON progress stream as the docker CLI does: on a terminal, one line per layer id
 * redrawn in place (cursor up, clear line, write, cursor down); otherwise only the status changes,
 * one line each, without the byte counts.
 */
public final class ProgressDisplay {

    private final PrintStream out;
    private final boolean tty;
    private final Map<String, Integer> lines = new HashMap<>();

    public ProgressDisplay(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    public void show(ProgressMessage m) {
        if (m.stream() != null) {
            out.print(m.stream());
            out.flush();
            return;
        }
        if (m.status() == null) {
            return;
        }
        Map<String, Object> d = m.progressDetail();
        boolean bytes = d != null && d.containsKey("total");
        String text = (m.id() != null ? m.id() + ": " : "") + m.status();
        if (!tty) {
            if (!bytes) {
                out.println(text);
            }
            return;
        }
        if (m.id() != null && d != null) {
            Integer line = lines.get(m.id());
            if (line == null) {
                line = lines.size();
                lines.put(m.id(), line);
                out.print("\n");
            }
            int up = lines.size() - line;
            String bar = "";
            if (bytes) {
                long cur = ((Number) d.getOrDefault("current", 0)).longValue();
                long total = ((Number) d.get("total")).longValue();
                bar = " " + Progress.bar(cur, total) + " " + dev.wharf.cli.format.Units.humanSize(cur) + "/"
                        + dev.wharf.cli.format.Units.humanSize(total);
            }
            out.print("\033[" + up + "A\033[2K\r" + text + bar + "\033[" + up + "B\r");
        } else {
            lines.clear();
            out.print("\033[2K\r" + text + "\n");
        }
        out.flush();
    }
}
