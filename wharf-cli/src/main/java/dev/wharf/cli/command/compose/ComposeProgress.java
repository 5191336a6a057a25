package dev.wharf.cli.command.compose;

import dev.wharf.compose.run.Progress;
import dev.wharf.model.common.ProgressMessage;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compose's progress on stderr, as Docker Compose shows it: on a terminal, one live line per
 * resource redrawn in place ({@code ✔ Container web-1  Started}), with the layer progress of a
 * pull beside its image; otherwise one line per change ({@code  Container web-1  Started}).
 */
final class ComposeProgress implements Progress {

    private static final java.util.Set<String> DONE = java.util.Set.of("Created", "Started", "Running", "Healthy",
            "Removed", "Stopped", "Pulled", "Built", "Pushed", "Exited", "Killed", "Paused", "Unpaused", "Updated",
            "Recreated", "Rolled back");

    private final PrintStream err;
    private final boolean live;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;

    ComposeProgress(PrintStream err, boolean live) {
        this.err = err;
        this.live = live;
    }

    @Override
    public synchronized void status(String resource, String status) {
        if (!live) {
            err.println(" " + resource + "  " + status);
            return;
        }
        lines.put(resource, status);
        redraw();
    }

    @Override
    public synchronized void warn(String message) {
        if (live && drawn > 0) {
            err.print("\u001b[" + drawn + "A\u001b[J");
            drawn = 0;
        }
        err.println("WARN[0000] " + message);
        if (live) {
            redraw();
        }
    }

    @Override
    public synchronized void pull(String image, ProgressMessage m) {
        if (m.status() == null) {
            return;
        }
        String detail = m.id() == null ? m.status() : m.id() + " " + m.status() + (m.progress() == null ? ""
                : " " + m.progress());
        if (!live) {
            err.println(" " + image + " " + detail);
            return;
        }
        lines.put("Image " + image, "Pulling " + detail);
        redraw();
    }

    @Override
    public synchronized void build(String service, ProgressMessage m) {
        if (m.stream() != null) {
            if (live && drawn > 0) {
                err.print("\u001b[" + drawn + "A\u001b[J");
                drawn = 0;
            }
            err.print(m.stream());
            if (live) {
                redraw();
            }
        }
    }

    private void redraw() {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\u001b[").append(drawn).append("A\u001b[J");
        }
        long done = lines.values().stream().filter(DONE::contains).count();
        sb.append("[+] Running ").append(done).append('/').append(lines.size()).append('\n');
        lines.forEach((r, s) -> sb.append(' ').append(DONE.contains(s) ? "\u2714" : "\u283f").append(' ').append(r)
                .append("  ").append(s).append('\n'));
        drawn = lines.size() + 1;
        err.print(sb);
        err.flush();
    }
}
