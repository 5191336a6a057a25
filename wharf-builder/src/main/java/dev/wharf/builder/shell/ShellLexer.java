package dev.wharf.builder.shell;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Word expansion of Dockerfile arguments, as BuildKit's shell lexer does it: single quotes are
 * literal, double quotes allow {@code $} expansion and escape only {@code "}, {@code $} and the
 * escape character, the escape character outside quotes makes the next character literal, and
 * variables are {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}}, {@code ${NAME-word}},
 * {@code ${NAME:+word}}, {@code ${NAME+word}}, {@code ${NAME:?message}} and {@code ${NAME?message}}.
 * An unset variable expands to nothing.
 */
public final class ShellLexer {

    private static final int MAX_DEPTH = 64;

    private final char escape;

    public ShellLexer(char escape) {
        this.escape = escape;
    }

    /** Expands {@code word} as one word: quotes removed, nothing split. */
    public String processWord(String word, Function<String, String> env) {
        Scan s = new Scan(word, env, false, 0);
        s.run();
        return s.single.toString();
    }

    /**
     * Expands only the variables of {@code text}, keeping quotes and escapes as written (heredoc
     * bodies of COPY and ADD); an escaped {@code $} stays literal.
     */
    public String expandVariables(String text, Function<String, String> env) {
        StringBuilder out = new StringBuilder();
        Scan s = new Scan(text, env, false, 0);
        while (s.pos < text.length()) {
            char c = text.charAt(s.pos++);
            if (c == escape && s.pos < text.length() && text.charAt(s.pos) == '$') {
                out.append('$');
                s.pos++;
            } else if (c == '$') {
                out.append(s.dollar());
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Expands {@code line} and splits it into words at blanks outside quotes (unquoted expansions split too). */
    public List<String> processWords(String line, Function<String, String> env) {
        Scan s = new Scan(line, env, true, 0);
        s.run();
        s.endWord();
        return s.words;
    }

    private final class Scan {
        private final String src;
        private final Function<String, String> env;
        private final boolean split;
        private final int depth;
        private int pos;
        final StringBuilder single = new StringBuilder();
        final List<String> words = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private boolean inWord;

        Scan(String src, Function<String, String> env, boolean split, int depth) {
            if (depth > MAX_DEPTH) {
                throw new InvalidArgumentException("variable substitution nested too deeply");
            }
            this.src = src;
            this.env = env;
            this.split = split;
            this.depth = depth;
        }

        void run() {
            run(-1);
        }

        /** Scans until {@code stop} (outside quotes) or the end; returns whether it stopped at {@code stop}. */
        boolean run(int stop) {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (stop >= 0 && c == stop) {
                    pos++;
                    return true;
                }
                pos++;
                if (c == '\'') {
                    raw(singleQuoted());
                } else if (c == '"') {
                    raw(doubleQuoted());
                } else if (c == '$') {
                    cooked(dollar());
                } else if (c == escape) {
                    if (pos < src.length()) {
                        raw(String.valueOf(src.charAt(pos++)));
                    } else {
                        raw(String.valueOf(c));
                    }
                } else {
                    cooked(String.valueOf(c));
                }
            }
            return false;
        }

        private String singleQuoted() {
            int end = src.indexOf('\'', pos);
            if (end < 0) {
                throw new InvalidArgumentException("unexpected end of statement while looking for matching single-quote");
            }
            String s = src.substring(pos, end);
            pos = end + 1;
            return s;
        }

        private String doubleQuoted() {
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= src.length()) {
                    throw new InvalidArgumentException(
                            "unexpected end of statement while looking for matching double-quote");
                }
                char c = src.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '$') {
                    b.append(dollar());
                } else if (c == escape && pos < src.length()
                        && (src.charAt(pos) == '"' || src.charAt(pos) == '$' || src.charAt(pos) == escape)) {
                    b.append(src.charAt(pos++));
                } else {
                    b.append(c);
                }
            }
        }

        private String dollar() {
            if (pos >= src.length()) {
                return "$";
            }
            char c = src.charAt(pos);
            if (c == '{') {
                pos++;
                return braced();
            }
            String name = name();
            if (name.isEmpty()) {
                return "$";
            }
            String v = env.apply(name);
            return v == null ? "" : v;
        }

        private String name() {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return src.substring(start, pos);
        }

        private String braced() {
            String name = name();
            if (name.isEmpty()) {
                throw new InvalidArgumentException("bad substitution: ${" + rest() + " (missing variable name)");
            }
            if (pos >= src.length()) {
                throw new InvalidArgumentException("missing '}' in ${" + name);
            }
            char c = src.charAt(pos);
            if (c == '}') {
                pos++;
                String v = env.apply(name);
                return v == null ? "" : v;
            }
            boolean colon = false;
            if (c == ':') {
                colon = true;
                pos++;
                if (pos >= src.length()) {
                    throw new InvalidArgumentException("missing '}' in ${" + name);
                }
                c = src.charAt(pos);
            }
            if (c != '-' && c != '+' && c != '?') {
                throw new InvalidArgumentException("unsupported modifier (" + (colon ? ":" : "") + c
                        + ") in substitution ${" + name);
            }
            pos++;
            Scan inner = new Scan(src, env, false, depth + 1);
            inner.pos = pos;
            if (!inner.run('}')) {
                throw new InvalidArgumentException("missing '}' in ${" + name);
            }
            pos = inner.pos;
            String word = inner.single.toString();
            String v = env.apply(name);
            boolean set = v != null && (!colon || !v.isEmpty());
            return switch (c) {
                case '-' -> set ? v : word;
                case '+' -> set ? word : "";
                default -> {
                    if (!set) {
                        throw new InvalidArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be unset"
                                : word));
                    }
                    yield v;
                }
            };
        }

        private String rest() {
            return src.substring(Math.min(pos, src.length()));
        }

        /** Text that never splits (quoted, escaped). */
        private void raw(String s) {
            single.append(s);
            if (split) {
                word.append(s);
                inWord = true;
            }
        }

        /** Text whose blanks split words (unquoted text and expansions). */
        private void cooked(String s) {
            single.append(s);
            if (!split) {
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    endWord();
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
        }

        void endWord() {
            if (inWord) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
        }
    }
}
