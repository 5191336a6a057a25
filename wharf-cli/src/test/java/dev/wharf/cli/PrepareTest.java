package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.term.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which command lines a daemon may run for the launcher (Main.prepare), and against which host. */
class PrepareTest {

    private static final Map<String, String> ENV = Map.of("WHARF_HOST", "unix:///run/w.sock", "HOME", "/root");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(printed, true);

    private Main.Delegated prepare(Map<String, String> env, String... args) {
        return Main.prepare(args, stream, stream, new Terminal(), env);
    }

    @Test
    void listingsAndContainerVerbs_runInTheDaemon_againstTheHostOfTheLine() {
        assertThat(prepare(ENV, "ps", "-a").host()).isEqualTo("unix:///run/w.sock");
        assertThat(prepare(ENV, "-H", "unix:///other.sock", "images").host()).isEqualTo("unix:///other.sock");
        assertThat(prepare(Map.of("DOCKER_HOST", "unix:///d.sock"), "version").host()).isEqualTo("unix:///d.sock");
        assertThat(prepare(Map.of(), "container", "ls").host()).isEqualTo("unix:///run/wharf/wharf.sock");
        // read and without effect, as in the JVM
        assertThat(prepare(ENV, "--config", "/c", "-D", "--log-level=debug", "ps").host()).isEqualTo("unix:///run/w.sock");
        for (String[] line : new String[][] {{"rm", "-f", "x"}, {"run", "--rm", "-e", "A", "busybox", "env"},
                {"run", "-d", "busybox"}, {"exec", "x", "true"}, {"start", "x"}, {"logs", "-f", "x"},
                {"network", "ls"}, {"volume", "create", "v"}, {"inspect", "x"}}) {
            assertThat(prepare(ENV, line)).as(String.join(" ", line)).isNotNull();
        }
        assertThat(printed.size()).as("parsing prints nothing").isZero();
    }

    @Test
    void linesThatNeedTheUsersProcess_orAreMalformed_stayInIt() {
        for (String[] line : new String[][] {{"load"}, {"import", "-"}, {"save", "busybox"}, {"cp", "x:/a", "."},
                {"build", "."}, {"login"}, {"pull", "busybox"}, {"compose", "ps"}, {"attach", "x"}, {"events"},
                {"stats"}, {"system", "prune"}, {"run", "-it", "busybox"}, {"run", "-i", "busybox"},
                {"run", "-a", "stdin", "busybox"}, {"run", "--env-file", "e", "busybox"},
                {"create", "--label-file", "l", "busybox"},
                {"run", "--security-opt", "seccomp=/p.json", "busybox"}, {"exec", "-it", "x", "sh"},
                {"start", "-a", "x"}, {"ps", "--nope"}, {"ps", "--help"}, {"--nope", "ps"}, {"-v"}, {"--help"},
                {"nope"}, {"-H"}, {}}) {
            assertThat(prepare(ENV, line)).as(String.join(" ", line)).isNull();
        }
        assertThat(prepare(Map.of("DOCKER_CONFIG", "relative/dir"), "ps")).isNull();
        assertThat(prepare(ENV, "run", "--security-opt", "seccomp=unconfined", "busybox")).isNotNull();
        assertThat(printed.size()).as("parsing prints nothing").isZero();
    }
}
