package dev.wharf.cli.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code --format} for lists: {@code table} (the default columns), {@code table TEMPLATE}
 * (a header row from the column names, aligned by a {@link TabWriter}), {@code json} (one JSON
 * object per line) or a bare template (one line per row, not aligned).
 */
public final class ListFormat {

    private ListFormat() {
    }

    /**
     * @param format   the user's --format, or null
     * @param defaultTable the table used when the format is empty or just "table"
     * @param headers  column titles by field name ("ID" → "CONTAINER ID")
     */
    public static String render(String format, String defaultTable, Map<String, String> headers,
            List<? extends Map<String, ?>> rows) {
        String f = format == null ? "" : format.strip();
        if (f.isEmpty() || f.equals("table")) {
            f = defaultTable;
        } else if (f.equals("json")) {
            f = "{{json .}}";
        }
        f = f.replace("\\t", "\t").replace("\\n", "\n");
        boolean table = f.startsWith("table");
        if (table) {
            f = f.substring("table".length()).stripLeading();
        }
        GoTemplate tmpl = GoTemplate.parse(f);
        StringBuilder body = new StringBuilder();
        for (Map<String, ?> row : rows) {
            body.append(tmpl.execute(row)).append('\n');
        }
        if (!table) {
            return body.toString();
        }
        TabWriter tw = new TabWriter();
        tw.add(tmpl.execute(new HeaderMap(headers)) + "\n");
        tw.add(body.toString());
        return tw.render();
    }

    /** Every field has a title; unknown ones are blank. */
    private static final class HeaderMap extends LinkedHashMap<String, Object> {
        HeaderMap(Map<String, String> headers) {
            super(headers);
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }

        @Override
        public Object get(Object key) {
            return getOrDefault(key, "");
        }
    }
}
