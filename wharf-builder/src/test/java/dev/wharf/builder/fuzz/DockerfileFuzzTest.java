package dev.wharf.builder.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.builder.instruction.InstructionParser;
import dev.wharf.builder.parse.Dockerfile;
import dev.wharf.builder.parse.DockerfileParser;
import dev.wharf.builder.shell.ShellLexer;
import java.util.Map;

/**
 * Jazzer: any text through the Dockerfile parser, the instruction parser and word expansion either
 * parses or is an {@link InvalidArgumentException} (a 400 with a message): never another exception,
 * a stack overflow or a hang. Regression mode runs the seeds with {@code mvn test}; CI fuzzes for
 * a bounded time ({@code JAZZER_FUZZ=1}, see the pom).
 */
class DockerfileFuzzTest {

    private static final Map<String, String> ENV = Map.of("A", "a", "EMPTY", "", "SP", "x y");

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        boolean backtick = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        try {
            Dockerfile df = DockerfileParser.parse((backtick ? "# escape=`\n" : "") + text);
            new InstructionParser(df.escape()).parseAll(df.lines());
            ShellLexer lexer = new ShellLexer(df.escape());
            for (var l : df.lines()) {
                lexer.processWords(l.args(), ENV::get);
                lexer.processWord(l.args(), ENV::get);
                lexer.expandVariables(l.args(), ENV::get);
            }
        } catch (InvalidArgumentException expected) {
            // a clear error for bad input is the contract
        }
    }
}
