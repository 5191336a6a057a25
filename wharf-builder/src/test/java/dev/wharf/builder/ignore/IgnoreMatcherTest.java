package dev.wharf.builder.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class IgnoreMatcherTest {

    /** .dockerignore text, a path, whether it is ignored (moby's patternmatcher cases and more). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("*.log", "a.log", true),
                Arguments.of("*.log", "dir/a.log", false),
                Arguments.of("**/*.log", "dir/sub/a.log", true),
                Arguments.of("**/*.log", "a.log", true),
                Arguments.of("dir", "dir/sub/file", true),
                Arguments.of("dir/", "dir/file", true),
                Arguments.of("/dir", "dir/file", true),
                Arguments.of("./dir/../other", "other/x", true),
                Arguments.of("*/temp*", "somedir/temporary.txt", true),
                Arguments.of("*/temp*", "temp", false),
                Arguments.of("*/*/temp*", "a/b/tempfile", true),
                Arguments.of("temp?", "temp1", true),
                Arguments.of("temp?", "temp12", false),
                Arguments.of("temp?", "tem/", false),
                Arguments.of("*\n!keep.txt", "keep.txt", false),
                Arguments.of("*\n!keep.txt", "other.txt", true),
                Arguments.of("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true),
                Arguments.of("*.md\n!README*.md\nREADME-secret.md", "README-x.md", false),
                Arguments.of("docs\n!docs/keep", "docs/keep", false),
                Arguments.of("docs\n!docs/keep", "docs/other", true),
                Arguments.of("**", "anything/at/all", true),
                Arguments.of("a/**", "a/b/c", true),
                Arguments.of("a/**/b", "a/b", true),
                Arguments.of("a/**/b", "a/x/y/b", true),
                Arguments.of("a/**/b", "a/x/y/c", false),
                Arguments.of("[a-c].txt", "b.txt", true),
                Arguments.of("[!a].txt", "b.txt", true),
                Arguments.of("[!a].txt", "a.txt", false),
                Arguments.of("[^a].txt", "a.txt", false),
                Arguments.of("[\\]x].txt", "].txt", true),
                Arguments.of("[\\J].txt", "J.txt", true),
                Arguments.of("[z-a].txt", "m.txt", false),
                Arguments.of("[&&b].txt", "&.txt", true),
                Arguments.of("[\u00e9-\u00ea].txt", "\u00e9.txt", true),
                Arguments.of("[a-].txt", "-.txt", true),
                Arguments.of("file\\*", "file*", true),
                Arguments.of("file\\*", "filex", false),
                Arguments.of("a.b", "axb", false),
                Arguments.of("(x)|y", "(x)|y", true),
                Arguments.of("# comment\n\n   \nx", "x", true),
                Arguments.of("# comment", "# comment", false),
                Arguments.of("  spaced.txt  ", "spaced.txt", true),
                Arguments.of("Dockerfile\n.dockerignore", ".dockerignore", true),
                Arguments.of("node_modules", "node_modules", true),
                Arguments.of("node_modules", "src/node_modules", false),
                Arguments.of("**/node_modules", "src/node_modules/x/y", true));
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @MethodSource("cases")
    void matches(String file, String path, boolean ignored) {
        assertThat(IgnoreMatcher.parse(file).matches(path)).isEqualTo(ignored);
    }

    @Test
    void canSkipDir_onlyWithoutExceptionsInside() {
        assertThat(IgnoreMatcher.parse("docs").canSkipDir("docs")).isTrue();
        assertThat(IgnoreMatcher.parse("docs\n!docs/keep").canSkipDir("docs")).isFalse();
        assertThat(IgnoreMatcher.parse("docs\n!other").canSkipDir("docs")).isTrue();
        assertThat(IgnoreMatcher.parse("*\n!**/*.go").canSkipDir("src")).isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // a guard against a hang, not a timing: a regex took minutes here
    void manyDoubleStars_matchAsTheyMean_withoutBlowingUp() {
        String many = "**/a*/".repeat(12) + "b";
        String deep = "a/".repeat(40);
        assertThat(IgnoreMatcher.parse(many).matches(deep + "c")).isFalse();
        assertThat(IgnoreMatcher.parse(many).matches(deep + "b")).isTrue();
        assertThat(IgnoreMatcher.parse("**/**/**/x").matches("x")).isTrue();
        assertThat(IgnoreMatcher.parse("**/**/**/x").matches("p/q/x")).isTrue();
        assertThat(IgnoreMatcher.parse("a/**").matches("a/b/c")).isTrue();
        assertThat(IgnoreMatcher.parse("a/**/b").matches("a/b")).isTrue();
        assertThat(IgnoreMatcher.parse("a/**/b").matches("ab")).isFalse();
    }

    @Test
    void badPatterns_areErrors() {
        assertThatThrownBy(() -> IgnoreMatcher.parse("!")).hasMessageContaining("illegal exclusion pattern");
        assertThatThrownBy(() -> IgnoreMatcher.parse("[a-")).hasMessageContaining("syntax error in pattern");
    }
}
