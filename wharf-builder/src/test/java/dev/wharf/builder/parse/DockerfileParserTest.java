package dev.wharf.builder.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfileParserTest {

    /** Dockerfile text → the instructions' original text, in order. */
    static Stream<Arguments> originals() {
        return Stream.of(
                Arguments.of("FROM a\nRUN b", List.of("FROM a", "RUN b")),
                Arguments.of("  from a  \n\n# comment\n\trun b", List.of("from a", "run b")),
                Arguments.of("RUN a \\\n  b", List.of("RUN a   b")),
                Arguments.of("RUN a \\   \n  b", List.of("RUN a   b")),
                Arguments.of("RUN a \\\n# inside\n  b \\\n\n  c", List.of("RUN a   b   c")),
                Arguments.of("# escape=`\nRUN a `\n  b\nRUN c:\\dir\\", List.of("RUN a   b", "RUN c:\\dir\\")),
                Arguments.of("RUN a \\", List.of("RUN a")),
                Arguments.of("\uFEFFFROM x", List.of("FROM x")),
                Arguments.of("FROM a\r\nRUN b\r\n", List.of("FROM a", "RUN b")),
                Arguments.of("# syntax=docker/dockerfile:1\n# escape=\\\nFROM a", List.of("FROM a")),
                // a directive after an instruction is a comment
                Arguments.of("FROM a\n# escape=`\nRUN b \\\n c", List.of("FROM a", "RUN b  c")));
    }

    @ParameterizedTest
    @MethodSource("originals")
    void parse_joinsContinuationsAndSkipsComments(String text, List<String> expected) {
        assertThat(DockerfileParser.parse(text).lines()).extracting(Line::original).isEqualTo(expected);
    }

    @Test
    void directives_areReadOnlyAtTheTop() {
        Dockerfile df = DockerfileParser.parse("# syntax=docker/dockerfile:1.7\n# escape=`\n\n# check=skip=all\nFROM a");
        assertThat(df.directives()).containsEntry("syntax", "docker/dockerfile:1.7").containsEntry("escape", "`")
                .doesNotContainKey("check");
        assertThat(df.escape()).isEqualTo('`');
        assertThat(DockerfileParser.parse("# unknown=1\n# escape=`\nFROM a").escape()).isEqualTo('\\');
    }

    @Test
    void badDirectives_areErrors() {
        assertThatThrownBy(() -> DockerfileParser.parse("# escape=x\nFROM a"))
                .hasMessageContaining("invalid escape token 'x' does not match ` or \\");
        assertThatThrownBy(() -> DockerfileParser.parse("# escape=`\n# escape=\\\nFROM a"))
                .hasMessageContaining("only one escape parser directive can be used");
    }

    @Test
    void keyword_isLowerCasedAndArgsKept() {
        Line l = DockerfileParser.parse("CoPy --chown=1:1   a  b").lines().getFirst();
        assertThat(l.keyword()).isEqualTo("copy");
        assertThat(l.args()).isEqualTo("--chown=1:1   a  b");
        assertThat(l.startLine()).isEqualTo(1);
    }

    @Test
    void lineNumbers_spanContinuations() {
        List<Line> lines = DockerfileParser.parse("FROM a\n\nRUN x \\\n  y\nCMD z").lines();
        assertThat(lines).extracting(Line::startLine).containsExactly(1, 3, 5);
        assertThat(lines.get(1).endLine()).isEqualTo(4);
    }

    @Test
    void emptyContinuationLine_isAWarning() {
        Dockerfile df = DockerfileParser.parse("RUN a \\\n\n  b");
        assertThat(df.warnings()).singleElement().asString().contains("Empty continuation line");
    }

    @Test
    void heredoc_runScript() {
        Line l = DockerfileParser.parse("FROM a\nRUN <<EOF\necho one\n  echo two\nEOF\nCMD x").lines().get(1);
        assertThat(l.heredocs()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("EOF");
            assertThat(h.content()).isEqualTo("echo one\n  echo two\n");
            assertThat(h.expand()).isTrue();
        });
        assertThat(l.endLine()).isEqualTo(5);
    }

    @Test
    void heredoc_dashStripsTabsAndQuotesTurnOffExpansion() {
        Line l = DockerfileParser.parse("RUN <<-\"END\"\n\techo $HOME\n\tEND").lines().getFirst();
        assertThat(l.heredocs().getFirst().content()).isEqualTo("echo $HOME\n");
        assertThat(l.heredocs().getFirst().expand()).isFalse();
    }

    @Test
    void heredoc_severalInOrder() {
        Line l = DockerfileParser.parse("COPY <<a.txt <<b.txt /dir/\nA\na.txt\nB\nb.txt\nRUN x").lines().getFirst();
        assertThat(l.heredocs()).extracting(Heredoc::name).containsExactly("a.txt", "b.txt");
        assertThat(l.heredocs()).extracting(Heredoc::content).containsExactly("A\n", "B\n");
    }

    @Test
    void heredoc_quotedWordIsNoMarker_andOtherInstructionsHaveNone() {
        assertThat(DockerfileParser.parse("RUN echo '<<EOF'\nEOF").lines()).hasSize(2);
        assertThat(DockerfileParser.parse("CMD cat <<EOF\nEOF").lines()).hasSize(2);
        assertThat(DockerfileParser.parse("RUN cat <<EOF > /f\nhi\nEOF").lines()).hasSize(1);
    }

    @Test
    void heredoc_unterminated_isAnError() {
        assertThatThrownBy(() -> DockerfileParser.parse("FROM a\nRUN <<EOF\necho"))
                .hasMessage("dockerfile parse error on line 2: unterminated heredoc EOF");
    }
}
