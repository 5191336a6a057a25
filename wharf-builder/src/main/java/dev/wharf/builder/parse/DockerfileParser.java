package dev.wharf.builder.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile into instructions, as BuildKit's parser does: parser directives at the top
 * ({@code # escape=`}), comments, line continuations with the escape character (comment and empty
 * lines inside a continued instruction are dropped), and heredocs after {@code RUN}, {@code COPY}
 * and {@code ADD}. Instruction arguments are kept as text: their meaning belongs to
 * {@code builder.instruction}.
 */
public final class DockerfileParser {

    private static final Pattern DIRECTIVE = Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("run", "copy", "add");
    private static final int MAX_LINES = 1_000_000;

    private DockerfileParser() {
    }

    public static Dockerfile parse(String text) {
        String src = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] rows = src.split("\r?\n", -1);
        if (rows.length > MAX_LINES) {
            throw new ParseException(0, "the Dockerfile has more than " + MAX_LINES + " lines");
        }
        Map<String, String> directives = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        int i = readDirectives(rows, directives);
        char escape = escapeOf(directives);
        List<Line> lines = new ArrayList<>();
        while (i < rows.length) {
            String row = rows[i];
            String trimmed = row.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                i++;
                continue;
            }
            int start = i;
            StringBuilder joined = new StringBuilder();
            boolean emptyContinuation = false;
            String current = stripLeading(row);
            while (true) {
                String body = continuation(current, escape);
                if (body == null) {
                    joined.append(current);
                    break;
                }
                joined.append(body);
                i++;
                // skip comment and empty lines inside a continued instruction
                while (i < rows.length && (rows[i].strip().isEmpty() || rows[i].strip().startsWith("#"))) {
                    if (rows[i].strip().isEmpty()) {
                        emptyContinuation = true;
                    }
                    i++;
                }
                if (i >= rows.length) {
                    break;
                }
                current = rows[i];
            }
            int end = Math.min(i, rows.length - 1);
            i++;
            if (emptyContinuation) {
                warnings.add("Empty continuation line found in: " + joined.toString().strip());
            }
            String instr = joined.toString().strip();
            int sp = firstSpace(instr);
            String keyword = (sp < 0 ? instr : instr.substring(0, sp)).toLowerCase(Locale.ROOT);
            String args = sp < 0 ? "" : instr.substring(sp).strip();
            List<Heredoc> heredocs = List.of();
            if (HEREDOC_INSTRUCTIONS.contains(keyword)) {
                List<Marker> markers = markers(args, escape);
                if (!markers.isEmpty()) {
                    List<Heredoc> docs = new ArrayList<>();
                    for (Marker m : markers) {
                        StringBuilder content = new StringBuilder();
                        boolean closed = false;
                        while (i < rows.length) {
                            String r = rows[i++];
                            String cmp = m.stripTabs() ? stripTabs(r) : r;
                            if (cmp.equals(m.name())) {
                                closed = true;
                                break;
                            }
                            content.append(cmp).append('\n');
                        }
                        if (!closed) {
                            throw new ParseException(start + 1, "unterminated heredoc " + m.name());
                        }
                        docs.add(new Heredoc(m.name(), content.toString(), m.expand(), m.fd()));
                    }
                    heredocs = docs;
                    end = i - 1;
                }
            }
            lines.add(new Line(keyword, args, heredocs, start + 1, end + 1, instr));
        }
        return new Dockerfile(directives, escape, lines, warnings);
    }

    /** Reads directives from the top; the first line that is not one ends them. Returns the next row. */
    private static int readDirectives(String[] rows, Map<String, String> out) {
        int i = 0;
        for (; i < rows.length; i++) {
            Matcher m = DIRECTIVE.matcher(rows[i]);
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!KNOWN_DIRECTIVES.contains(name)) {
                break; // an unknown directive is a comment, and ends the directives
            }
            if (out.containsKey(name)) {
                throw new ParseException(i + 1, "only one " + name + " parser directive can be used");
            }
            out.put(name, m.group(2));
        }
        return i;
    }

    private static char escapeOf(Map<String, String> directives) {
        String e = directives.get("escape");
        if (e == null) {
            return '\\';
        }
        if (!e.equals("`") && !e.equals("\\")) {
            throw new ParseException(0, "invalid escape token '" + e + "' does not match ` or \\");
        }
        return e.charAt(0);
    }

    /** The line without its trailing escape (and the blanks after it), or null if it does not continue. */
    private static String continuation(String row, char escape) {
        int end = row.length();
        while (end > 0 && (row.charAt(end - 1) == ' ' || row.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end > 0 && row.charAt(end - 1) == escape) {
            return row.substring(0, end - 1);
        }
        return null;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTabs(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '\t') {
            i++;
        }
        return s.substring(i);
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private record Marker(String name, boolean stripTabs, boolean expand, int fd) {
    }

    /** Heredoc markers among the words of {@code args}, quotes kept raw so that {@code '<<EOF'} is no marker. */
    private static List<Marker> markers(String args, char escape) {
        if (!args.contains("<<")) {
            return List.of();
        }
        List<Marker> out = new ArrayList<>();
        for (String word : rawWords(args, escape)) {
            Matcher m = HEREDOC.matcher(word);
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(3).strip();
            if (rest.isEmpty()) {
                continue;
            }
            boolean quoted = false;
            if (rest.length() >= 2 && (rest.charAt(0) == '"' || rest.charAt(0) == '\'')
                    && rest.charAt(rest.length() - 1) == rest.charAt(0)) {
                rest = rest.substring(1, rest.length() - 1);
                quoted = true;
            }
            if (rest.isEmpty() || rest.contains("\"") || rest.contains("'")) {
                continue;
            }
            int fd = m.group(1).isEmpty() ? -1 : Integer.parseInt(m.group(1).length() > 6 ? "0" : m.group(1));
            out.add(new Marker(rest, m.group(2).equals("-"), !quoted, fd));
        }
        return out;
    }

    /** Splits on blanks outside quotes, keeping quotes and escapes as written. */
    static List<String> rawWords(String s, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (any) {
                    words.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
                continue;
            }
            any = true;
            w.append(c);
            if (c == escape && quote != '\'' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }
}
