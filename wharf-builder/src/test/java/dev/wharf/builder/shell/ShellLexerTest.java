package dev.wharf.builder.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShellLexerTest {

    private static final Map<String, String> ENV = Map.of("A", "a", "E", "", "SP", "x y", "P", "/usr/bin");
    private final ShellLexer lexer = new ShellLexer('\\');

    static Stream<Arguments> words() {
        return Stream.of(
                Arguments.of("$A", "a"),
                Arguments.of("${A}b", "ab"),
                Arguments.of("$Ab", ""),
                Arguments.of("pre-$A-post", "pre-a-post"),
                Arguments.of("${UNSET:-def}", "def"),
                Arguments.of("${E:-def}", "def"),
                Arguments.of("${E-def}", ""),
                Arguments.of("${UNSET-def}", "def"),
                Arguments.of("${A:+alt}", "alt"),
                Arguments.of("${E:+alt}", ""),
                Arguments.of("${E+alt}", "alt"),
                Arguments.of("${UNSET:+alt}", ""),
                Arguments.of("${UNSET:-${A}x}", "ax"),
                Arguments.of("'$A'", "$A"),
                Arguments.of("\"$A\"", "a"),
                Arguments.of("\"a\\\"b\"", "a\"b"),
                Arguments.of("\"a\\nb\"", "a\\nb"),
                Arguments.of("\\$A", "$A"),
                Arguments.of("a\\ b", "a b"),
                Arguments.of("$", "$"),
                Arguments.of("a$", "a$"),
                Arguments.of("$1", ""),
                Arguments.of("${P}:/x", "/usr/bin:/x"),
                Arguments.of("'a'\"b\"c", "abc"),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("words")
    void processWord(String in, String expected) {
        assertThat(lexer.processWord(in, ENV::get)).isEqualTo(expected);
    }

    @Test
    void processWords_splitsUnquotedExpansionsOnly() {
        assertThat(lexer.processWords("a $SP \"$SP\" 'q r'", ENV::get)).containsExactly("a", "x", "y", "x y", "q r");
        assertThat(lexer.processWords("  80   443/udp ", ENV::get)).containsExactly("80", "443/udp");
        assertThat(lexer.processWords("\"\" x", ENV::get)).containsExactly("", "x");
    }

    @Test
    void backtickEscape() {
        ShellLexer win = new ShellLexer('`');
        assertThat(win.processWord("c:\\dir`$A", ENV::get)).isEqualTo("c:\\dir$A");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> lexer.processWord("'open", ENV::get)).hasMessageContaining("single-quote");
        assertThatThrownBy(() -> lexer.processWord("\"open", ENV::get)).hasMessageContaining("double-quote");
        assertThatThrownBy(() -> lexer.processWord("${A", ENV::get)).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> lexer.processWord("${UNSET:?must be set}", ENV::get))
                .hasMessage("UNSET: must be set");
        assertThatThrownBy(() -> lexer.processWord("${A/x/y}", ENV::get)).hasMessageContaining("unsupported modifier");
        assertThatThrownBy(() -> lexer.processWord("${}", ENV::get)).hasMessageContaining("bad substitution");
    }

    @Test
    void expandVariables_keepsQuotes() {
        assertThat(lexer.expandVariables("echo \"$A\" '${A}' \\$A\n", ENV::get)).isEqualTo("echo \"a\" 'a' $A\n");
        assertThat(List.of()).isEmpty();
    }
}
