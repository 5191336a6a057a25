package dev.wharf.builder.ignore;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code .dockerignore} matcher, with moby's pattern rules: patterns are cleaned paths relative
 * to the context ({@code /} prefix dropped), {@code *} and {@code ?} never match {@code /},
 * {@code **} matches any number of directories (none included), {@code [a-z]} is a class, the
 * escape character {@code \} makes the next one literal, and {@code !} makes an exception. The last
 * pattern that matches a path, or one of its parent directories, decides.
 */
public final class IgnoreMatcher {

    /** One compiled pattern. */
    public record Rule(String text, boolean exclusion, Glob glob, int dirs) {
    }

    private final List<Rule> rules;
    private final boolean hasExclusions;

    private IgnoreMatcher(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.hasExclusions = rules.stream().anyMatch(Rule::exclusion);
    }

    /** Reads a {@code .dockerignore} file: one pattern a line, {@code #} comments, blank lines skipped. */
    public static IgnoreMatcher parse(String fileText) {
        List<String> patterns = new ArrayList<>();
        String text = fileText.startsWith("\uFEFF") ? fileText.substring(1) : fileText;
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String p = line.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean invert = p.startsWith("!");
            if (invert) {
                p = p.substring(1).strip();
            }
            if (!p.isEmpty()) {
                p = clean(p);
                if (p.length() > 1 && p.startsWith("/")) {
                    p = p.substring(1);
                }
            }
            patterns.add(invert ? "!" + p : p);
        }
        return of(patterns);
    }

    /** Compiles patterns already in {@code .dockerignore} form ({@code !} for exceptions). */
    public static IgnoreMatcher of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean exclusion = p.startsWith("!");
            if (exclusion) {
                p = p.substring(1);
                if (p.isEmpty()) {
                    throw new InvalidArgumentException("illegal exclusion pattern: \"!\"");
                }
            }
            p = clean(p);
            rules.add(new Rule(p, exclusion, compile(p), p.split("/", -1).length));
        }
        return new IgnoreMatcher(rules);
    }

    public static IgnoreMatcher none() {
        return new IgnoreMatcher(List.of());
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public boolean hasExclusions() {
        return hasExclusions;
    }

    /** Whether {@code path} (relative to the context, {@code /}-separated) is ignored, itself or through a parent. */
    public boolean matches(String path) {
        String file = clean(path);
        if (file.startsWith("/")) {
            file = file.substring(1);
        }
        String[] parents = file.split("/");
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exclusion() != matched) {
                continue; // an include that already matched, or an exception with nothing to undo
            }
            boolean m = r.glob().matches(file);
            if (!m && parents.length > 1) {
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < parents.length - 1 && !m; i++) {
                    if (i > 0) {
                        prefix.append('/');
                    }
                    prefix.append(parents[i]);
                    m = r.glob().matches(prefix);
                }
            }
            if (m) {
                matched = !r.exclusion();
            }
        }
        return matched;
    }

    /**
     * Whether a walk may skip the ignored directory {@code dir} whole: only if no exception could
     * bring back something under it (as the docker CLI decides when it sends the context).
     */
    public boolean canSkipDir(String dir) {
        if (!hasExclusions) {
            return true;
        }
        String prefix = clean(dir) + "/";
        for (Rule r : rules) {
            if (!r.exclusion()) {
                continue;
            }
            String t = r.text() + "/";
            if (t.startsWith(prefix) || hasWildcard(r.text())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('\\') >= 0;
    }

    /** Go's {@code filepath.Clean} for {@code /}-separated paths. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        String s = String.join("/", out);
        if (rooted) {
            return "/" + s;
        }
        return s.isEmpty() ? "." : s;
    }

    /** The pattern as tokens matched over the whole path. */
    static Glob compile(String pattern) {
        List<Glob.Token> tokens = new ArrayList<>();
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    tokens.add(i + 1 >= n ? new Glob.All() : new Glob.Dirs());
                } else {
                    tokens.add(new Glob.Star());
                }
            } else if (c == '?') {
                tokens.add(new Glob.One());
            } else if (c == '\\') {
                if (i + 1 < n) {
                    int cp = pattern.codePointAt(i + 1);
                    tokens.add(new Glob.Literal(cp));
                    i += Character.charCount(cp);
                } else {
                    tokens.add(new Glob.Literal('\\'));
                }
            } else if (c == '[') {
                int close = classEnd(pattern, i);
                if (close < 0) {
                    throw new InvalidArgumentException("syntax error in pattern: " + pattern);
                }
                try {
                    tokens.add(new Glob.Class(Pattern.compile(characterClass(pattern.substring(i + 1, close)),
                            Pattern.DOTALL)));
                } catch (PatternSyntaxException e) {
                    throw new InvalidArgumentException("syntax error in pattern: " + pattern);
                }
                i = close;
            } else {
                int cp = pattern.codePointAt(i);
                tokens.add(new Glob.Literal(cp));
                i += Character.charCount(cp) - 1;
            }
        }
        return new Glob(tokens);
    }

    /**
     * A bracket expression's body ({@code a-z}, {@code ^0-9}, {@code !\]x}) as a regular expression
     * class that compiles whatever the body holds: every character is written as a code point, a
     * backslash escapes the next one, and a reversed range matches nothing, as Go's matcher does.
     */
    static String characterClass(String body) {
        StringBuilder out = new StringBuilder("[");
        int[] cps = body.codePoints().toArray();
        int j = 0;
        if (cps.length > 0 && (cps[0] == '^' || cps[0] == '!')) {
            out.append('^');
            j = 1;
        }
        out.append("\\x{0}"); // a NUL never occurs in a path: keeps the class non-empty
        while (j < cps.length) {
            if (cps[j] == '\\' && j + 1 < cps.length) {
                j++;
            }
            int lo = cps[j++];
            if (j + 1 < cps.length && cps[j] == '-') {
                int k = j + 1;
                if (cps[k] == '\\' && k + 1 < cps.length) {
                    k++;
                }
                int hi = cps[k];
                j = k + 1;
                if (lo <= hi) {
                    out.append(literal(lo)).append('-').append(literal(hi));
                }
            } else {
                out.append(literal(lo));
            }
        }
        return out.append(']').toString();
    }

    private static String literal(int codePoint) {
        return codePoint < 128 && Character.isLetterOrDigit(codePoint) ? Character.toString(codePoint)
                : "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && (p.charAt(i) == '^' || p.charAt(i) == '!')) {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        for (; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }
}
