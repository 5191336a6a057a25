package dev.wharf.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated cells like Go's {@code tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)}, the
 * writer docker uses for tables: each tab-terminated cell is padded to the widest cell of its
 * column plus 3 spaces, and at least 10; the last cell of a line is not padded.
 */
public final class TabWriter {

    private final int minWidth;
    private final int padding;
    private final List<String[]> lines = new ArrayList<>();

    public TabWriter() {
        this(10, 3);
    }

    public TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** Adds text; it may hold several lines. */
    public void add(String text) {
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.split("\n", -1)) {
            lines.add(line.split("\t", -1));
        }
        if (text.endsWith("\n")) {
            lines.removeLast();
        }
    }

    public String render() {
        widths = new int[lines.size()][];
        computeWidths(0, lines.size(), 0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i);
            for (int c = 0; c < cells.length; c++) {
                sb.append(cells[c]);
                if (c < cells.length - 1) {
                    sb.append(" ".repeat(Math.max(0, widths[i][c] - width(cells[c]))));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private int[][] widths;

    /**
     * Go's column blocks: consecutive lines that have a tab-terminated cell in column {@code col}
     * share its width; a line without one ends the block.
     */
    private void computeWidths(int from, int to, int col) {
        int i = from;
        while (i < to) {
            if (lines.get(i).length - 1 <= col) {
                i++;
                continue;
            }
            int blockStart = i;
            int w = 0;
            while (i < to && lines.get(i).length - 1 > col) {
                w = Math.max(w, width(lines.get(i)[col]) + padding);
                i++;
            }
            w = Math.max(w, minWidth);
            for (int k = blockStart; k < i; k++) {
                if (widths[k] == null) {
                    widths[k] = new int[lines.get(k).length];
                }
                widths[k][col] = w;
            }
            computeWidths(blockStart, i, col + 1);
        }
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
