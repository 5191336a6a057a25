package dev.wharf.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds a path with an encoded query string; null values are skipped. */
final class Query {

    private final StringBuilder sb;
    private boolean first = true;

    private Query(String path) {
        sb = new StringBuilder(path);
    }

    static Query path(String format, String... segments) {
        Object[] enc = new Object[segments.length];
        for (int i = 0; i < segments.length; i++) {
            enc[i] = encodeSegment(segments[i]);
        }
        return new Query(String.format(format, enc));
    }

    Query add(String name, Object value) {
        if (value == null) {
            return this;
        }
        sb.append(first ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
        first = false;
        return this;
    }

    /** Booleans as the Go client sends them: {@code 1}, and nothing for false. */
    Query flag(String name, boolean value) {
        return value ? add(name, "1") : this;
    }

    Query filters(Map<String, ? extends Iterable<String>> filters) {
        if (filters == null || filters.isEmpty()) {
            return this;
        }
        return add("filters", Filters.toJson(filters));
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }
}
