package dev.wharf.builder.instruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.builder.parse.DockerfileParser;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstructionParserTest {

    private static Instruction parse(String line) {
        var df = DockerfileParser.parse(line);
        return new InstructionParser(df.escape()).parse(df.lines().getFirst());
    }

    @Test
    void from_withPlatformAndAlias() {
        var f = (Instruction.From) parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build");
        assertThat(f.image()).isEqualTo("golang:1.22");
        assertThat(f.platform()).isEqualTo("$BUILDPLATFORM");
        assertThat(f.alias()).isEqualTo("build");
    }

    @Test
    void run_execAndShellForms_andFlags() {
        var exec = (Instruction.Run) parse("RUN [\"echo\", \"a b\"]");
        assertThat(exec.command()).isEqualTo(Command.exec(List.of("echo", "a b")));
        var shell = (Instruction.Run) parse("RUN --network=none --mount=type=cache,target=/c,id=x  echo  hi");
        assertThat(shell.command()).isEqualTo(Command.shell("echo  hi"));
        assertThat(shell.network()).isEqualTo("none");
        assertThat(shell.mounts()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("cache");
            assertThat(m.target()).isEqualTo("/c");
            assertThat(m.id()).isEqualTo("x");
            assertThat(m.readOnly()).isFalse();
        });
        var notJson = (Instruction.Run) parse("RUN [not json");
        assertThat(notJson.command().shellForm()).isTrue();
    }

    @Test
    void bindMount_isReadOnlyByDefault() {
        var r = (Instruction.Run) parse("RUN --mount=type=bind,source=a,target=/a,rw cat /a");
        assertThat(r.mounts().getFirst().readOnly()).isFalse();
        var r2 = (Instruction.Run) parse("RUN --mount=target=/a cat /a");
        assertThat(r2.mounts().getFirst().type()).isEqualTo("bind");
        assertThat(r2.mounts().getFirst().readOnly()).isTrue();
    }

    @Test
    void envAndLabel_pairsAndLegacyForm() {
        var e = (Instruction.Env) parse("ENV A=1 B=\"x y\" C=$A");
        assertThat(e.pairs()).containsExactly(new KeyValue("A", "1", false), new KeyValue("B", "\"x y\"", false),
                new KeyValue("C", "$A", false));
        var legacy = (Instruction.Env) parse("ENV NAME some  value");
        assertThat(legacy.pairs()).containsExactly(new KeyValue("NAME", "some  value", true));
        var l = (Instruction.Label) parse("LABEL \"a b\"=c version=1.0");
        assertThat(l.pairs()).extracting(KeyValue::key).containsExactly("\"a b\"", "version");
    }

    @Test
    void copy_flagsSourcesAndDest() {
        var c = (Instruction.Copy) parse("COPY --from=build --chown=app:app --chmod=0755 --link a b /dest/");
        assertThat(c.add()).isFalse();
        assertThat(c.from()).isEqualTo("build");
        assertThat(c.chown()).isEqualTo("app:app");
        assertThat(c.chmod()).isEqualTo("0755");
        assertThat(c.link()).isTrue();
        assertThat(c.sources()).containsExactly("a", "b");
        assertThat(c.dest()).isEqualTo("/dest/");
        var json = (Instruction.Copy) parse("ADD --checksum=sha256:00 [\"a b\", \"/c\"]");
        assertThat(json.add()).isTrue();
        assertThat(json.sources()).containsExactly("a b");
        assertThat(json.checksum()).isEqualTo("sha256:00");
        var here = (Instruction.Copy) parse("COPY <<EOF /f\nhello\nEOF");
        assertThat(here.sources()).isEmpty();
        assertThat(here.heredocs()).hasSize(1);
    }

    @Test
    void healthcheck_forms() {
        var none = (Instruction.Healthcheck) parse("HEALTHCHECK NONE");
        assertThat(none.none()).isTrue();
        var h = (Instruction.Healthcheck) parse("HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/");
        assertThat(h.test()).isEqualTo(Command.shell("curl -f http://x/"));
        assertThat(h.interval()).isEqualTo("5s");
        assertThat(h.retries()).isEqualTo("3");
    }

    @Test
    void arg_severalNamesWithDefaults() {
        var a = (Instruction.Arg) parse("ARG A B=2 C=\"x y\"");
        assertThat(a.args()).containsExactly(new ArgDef("A", null), new ArgDef("B", "2"), new ArgDef("C", "\"x y\""));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("FOO bar", "dockerfile parse error on line 1: unknown instruction: FOO"),
                Arguments.of("FROM", "FROM requires either one or three arguments"),
                Arguments.of("FROM a b c", "FROM requires either one or three arguments"),
                Arguments.of("FROM a AS 1x", "invalid name for build stage"),
                Arguments.of("RUN", "RUN requires at least one argument"),
                Arguments.of("CMD", "CMD requires at least one argument"),
                Arguments.of("COPY a", "COPY requires at least two arguments"),
                Arguments.of("COPY --bogus=1 a b", "unknown flag: bogus"),
                Arguments.of("COPY --chown a b", "missing a value on flag: chown"),
                Arguments.of("ENV", "ENV requires at least one argument"),
                Arguments.of("ENV A", "ENV must have two arguments"),
                Arguments.of("ENV =x", "ENV names can not be blank"),
                Arguments.of("ENV a=1 b", "Syntax error - can't find = in \"b\""),
                Arguments.of("WORKDIR", "WORKDIR requires exactly one argument"),
                Arguments.of("SHELL /bin/bash", "SHELL requires the arguments to be in JSON form"),
                Arguments.of("HEALTHCHECK FOO x", "Unknown type \"FOO\" in HEALTHCHECK (try CMD)"),
                Arguments.of("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
                Arguments.of("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
                Arguments.of("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger"),
                Arguments.of("ONBUILD BOGUS x", "unknown instruction: BOGUS"),
                Arguments.of("RUN --mount=type=weird,target=/x a", "unsupported mount type \"weird\""),
                Arguments.of("RUN --mount=type=cache a", "mount destination (target=) is required"),
                Arguments.of("RUN --network=bridge a", "unsupported network mode \"bridge\""),
                Arguments.of("VOLUME", "VOLUME requires at least one argument"),
                Arguments.of("EXPOSE", "EXPOSE requires at least one argument"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void errors_nameTheProblem(String line, String message) {
        assertThatThrownBy(() -> parse(line)).hasMessageContaining(message)
                .hasMessageStartingWith("dockerfile parse error on line 1: ");
    }
}
