package dev.wharf.daemon.http;

import dev.wharf.base.error.InvalidArgumentException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Method and path pattern to handler. A pattern is made of literal segments, {@code {name}}
 * (one segment) and {@code {name*}} (one or more segments, greedy: image names contain '/').
 * When several patterns match, the most specific wins: literal beats {name} beats {name*},
 * compared segment by segment from the left.
 */
public final class Router {
    private enum Kind { LITERAL, PARAM, GREEDY }

    private record Segment(Kind kind, String text) {
    }

    private record Route(String method, String pattern, List<Segment> segments, Handler handler) {
    }

    /** A matched route: its handler and its URL-decoded path parameters. */
    public record Match(Handler handler, String pattern, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Handler h) {
        Objects.requireNonNull(h, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
        List<Segment> segments = new ArrayList<>();
        for (String s : split(pattern)) {
            if (s.startsWith("{") && s.endsWith("*}")) {
                segments.add(new Segment(Kind.GREEDY, s.substring(1, s.length() - 2)));
            } else if (s.startsWith("{") && s.endsWith("}")) {
                segments.add(new Segment(Kind.PARAM, s.substring(1, s.length() - 1)));
            } else {
                segments.add(new Segment(Kind.LITERAL, s));
            }
        }
        Route route = new Route(method.toUpperCase(Locale.ROOT), pattern, List.copyOf(segments), h);
        synchronized (routes) {
            routes.add(route);
            routes.sort(Router::bySpecificity);
        }
        return this;
    }

    /** Finds the most specific route for a raw (still percent-encoded) path, or null. */
    public Match match(String method, String rawPath) {
        String[] parts = split(rawPath);
        List<Route> snapshot;
        synchronized (routes) {
            snapshot = List.copyOf(routes);
        }
        for (Route r : snapshot) {
            if (!r.method.equalsIgnoreCase(method)) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            if (matches(r.segments, 0, parts, 0, params)) {
                return new Match(r.handler, r.pattern, Map.copyOf(params));
            }
        }
        return null;
    }

    private static boolean matches(List<Segment> segs, int si, String[] parts, int pi, Map<String, String> out) {
        if (si == segs.size()) {
            return pi == parts.length;
        }
        if (pi >= parts.length) {
            return false;
        }
        Segment seg = segs.get(si);
        switch (seg.kind) {
            case LITERAL -> {
                return seg.text.equals(parts[pi]) && matches(segs, si + 1, parts, pi + 1, out);
            }
            case PARAM -> {
                if (parts[pi].isEmpty() || !matches(segs, si + 1, parts, pi + 1, out)) {
                    return false;
                }
                out.put(seg.text, decode(parts[pi]));
                return true;
            }
            default -> {
                for (int end = parts.length; end > pi; end--) {
                    if (matches(segs, si + 1, parts, end, out)) {
                        out.put(seg.text, decode(String.join("/", List.of(parts).subList(pi, end))));
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static int bySpecificity(Route a, Route b) {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            int c = a.segments.get(i).kind.compareTo(b.segments.get(i).kind);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(b.segments.size(), a.segments.size());
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/");
    }

    /** Percent-decodes a path segment; '+' stays a plus in paths. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid escape in path: " + raw);
        }
    }
}
