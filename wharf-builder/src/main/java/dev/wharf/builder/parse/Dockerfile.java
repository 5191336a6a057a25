package dev.wharf.builder.parse;

import java.util.List;
import java.util.Map;

/**
 * A parsed Dockerfile: its parser directives ({@code syntax}, {@code escape}, {@code check}), the
 * escape character in force, its instructions in order, and warnings (such as empty continuation
 * lines) that do not stop the build.
 */
public record Dockerfile(Map<String, String> directives, char escape, List<Line> lines, List<String> warnings) {

    public Dockerfile {
        directives = Map.copyOf(directives);
        lines = List.copyOf(lines);
        warnings = List.copyOf(warnings);
    }
}
