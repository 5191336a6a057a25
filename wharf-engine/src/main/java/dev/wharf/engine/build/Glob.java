package dev.wharf.engine.build;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * COPY and ADD source patterns over a directory, with Go's {@code filepath.Match} per path
 * component: {@code *}, {@code ?}, {@code [a-z]}, {@code \} escapes; a {@code *} never crosses a
 * {@code /}. Results are relative paths, sorted.
 */
final class Glob {

    private Glob() {
    }

    static boolean hasMeta(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** The relative, cleaned form of a source path; one that leaves the root is refused. */
    static String relative(String src, String what) {
        String cleaned;
        try {
            cleaned = ContextDir.clean(src);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("forbidden path outside the build context: " + src + " ()");
        }
        return cleaned;
    }

    /** The paths under {@code root} that {@code pattern} names (without glob characters: the path if it exists). */
    static List<String> expand(Path root, String pattern) throws IOException {
        String rel = relative(pattern, "source");
        if (!hasMeta(rel)) {
            Path p = rel.isEmpty() ? root : root.resolve(rel);
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? List.of(rel) : List.of();
        }
        List<String> current = List.of("");
        for (String part : rel.split("/")) {
            List<String> next = new ArrayList<>();
            for (String base : current) {
                Path dir = base.isEmpty() ? root : root.resolve(base);
                if (!hasMeta(part)) {
                    if (Files.exists(dir.resolve(part), LinkOption.NOFOLLOW_LINKS)) {
                        next.add(base.isEmpty() ? part : base + "/" + part);
                    }
                    continue;
                }
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Pattern re = compile(part);
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path child : s.sorted().toList()) {
                        String name = child.getFileName().toString();
                        if (re.matcher(name).matches()) {
                            next.add(base.isEmpty() ? name : base + "/" + name);
                        }
                    }
                }
            }
            current = next;
        }
        return current;
    }

    static Pattern compile(String part) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i + 1 < part.length()) {
                        re.append(Pattern.quote(String.valueOf(part.charAt(++i))));
                    }
                }
                case '[' -> {
                    int close = part.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new InvalidArgumentException("syntax error in pattern: " + part);
                    }
                    String body = part.substring(i + 1, close);
                    if (body.startsWith("^") || body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    re.append('[').append(body.replace("[", "\\[")).append(']');
                    i = close;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
