package dev.wharf.builder.ignore;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code .dockerignore} pattern, compiled to tokens and matched by dynamic programming over
 * (token, position): time linear in the product of their lengths whatever the pattern holds. A
 * regular expression of the same meaning backtracks exponentially on patterns such as
 * {@code **}{@code /a*}{@code /**}{@code /a*...} (the fuzzer found one that took minutes).
 */
public final class Glob {

    /** What one token matches. */
    sealed interface Token {
    }

    /** One code point, itself. */
    record Literal(int codePoint) implements Token {
    }

    /** {@code ?}: one code point but {@code /}. */
    record One() implements Token {
    }

    /** {@code *}: any run of code points without {@code /}. */
    record Star() implements Token {
    }

    /** {@code **}{@code /} before more: nothing, or anything that ends with {@code /}. */
    record Dirs() implements Token {
    }

    /** {@code **} at the end: anything. */
    record All() implements Token {
    }

    /** {@code [...]}: one code point the class (a compiled one-character expression) accepts. */
    record Class(Pattern oneChar) implements Token {
        boolean accepts(int codePoint) {
            return oneChar.matcher(Character.toString(codePoint)).matches();
        }
    }

    private final Token[] tokens;

    Glob(List<Token> tokens) {
        this.tokens = tokens.toArray(new Token[0]);
    }

    /** Whether the whole of {@code text} matches. */
    boolean matches(CharSequence text) {
        int[] s = text.codePoints().toArray();
        int n = s.length;
        // next[i]: tokens[t + 1..] match s[i..]; cur[i]: tokens[t..] match s[i..]
        boolean[] next = new boolean[n + 1];
        boolean[] cur = new boolean[n + 1];
        next[n] = true;
        for (int t = tokens.length - 1; t >= 0; t--) {
            Token tok = tokens[t];
            boolean slashAhead = false; // Dirs: some s[j] == '/' (j >= i) with next[j + 1]
            cur[n] = switch (tok) {
                case Star st -> next[n];
                case Dirs d -> next[n];
                case All a -> next[n];
                default -> false;
            };
            for (int i = n - 1; i >= 0; i--) {
                int c = s[i];
                cur[i] = switch (tok) {
                    case Literal l -> c == l.codePoint() && next[i + 1];
                    case One o -> c != '/' && next[i + 1];
                    case Class k -> next[i + 1] && k.accepts(c);
                    case Star st -> next[i] || (c != '/' && cur[i + 1]);
                    case All a -> next[i] || cur[i + 1];
                    case Dirs d -> {
                        slashAhead |= c == '/' && next[i + 1];
                        yield next[i] || slashAhead;
                    }
                };
            }
            boolean[] swap = next;
            next = cur;
            cur = swap;
        }
        return next[0];
    }
}
