package dev.wharf.cli.command.image;

import dev.wharf.cli.format.Units;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/** docker's progress bar ({@code [=====>     ]}) and a copy that draws it on a terminal. */
public final class Progress {

    private Progress() {
    }

    public static String bar(long current, long total) {
        int width = 50;
        int filled = total <= 0 ? width : (int) Math.min(width, current * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return b.append(']').toString();
    }

    /** Copies {@code in} to {@code out}; on a terminal, shows the bytes copied on {@code err} at most every 100 ms. */
    public static long copy(InputStream in, OutputStream out, PrintStream err, boolean show, String label)
            throws IOException {
        byte[] buf = new byte[1 << 20];
        long total = 0;
        long last = 0;
        for (int n; (n = in.read(buf)) >= 0;) {
            out.write(buf, 0, n);
            total += n;
            long now = System.nanoTime();
            if (show && now - last > 100_000_000L) {
                err.print("\r" + label + " " + Units.humanSize(total));
                err.flush();
                last = now;
            }
        }
        if (show) {
            err.println("\r" + label + " " + Units.humanSize(total));
        }
        return total;
    }
}
