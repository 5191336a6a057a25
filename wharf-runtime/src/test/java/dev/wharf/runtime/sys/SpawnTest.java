package dev.wharf.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real children (/bin/sh): their pipes at the fds asked for, and nothing else of this process's. */
class SpawnTest {

    @TempDir
    Path dir;

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theChildGetsItsPipesEnvDirectoryAndStderr_andNoOtherFd() throws Exception {
        Path stderr = dir.resolve("err");
        // keep an fd of this process open that is not close-on-exec-proof: the child must not see it
        try (OutputStream leakCandidate = Files.newOutputStream(dir.resolve("held"))) {
            String script = "echo \"$GREETING from $(pwd)\" >&3; read line <&4; echo \"got $line\" >&5; "
                    + "echo oops >&2; ls /proc/self/fd >&3; exit 7";
            Spawn.Child c = Spawn.start(List.of("/bin/sh", "-c", script), Map.of("GREETING", "hello", "PATH", "/usr/bin:/bin"),
                    dir, stderr, List.of(new Spawn.Pipe(3, Spawn.Direction.CHILD_WRITES, 5),
                            new Spawn.Pipe(4, Spawn.Direction.CHILD_READS)));
            OutputStream toChild = c.output(4);
            toChild.write("ping\n".getBytes(StandardCharsets.UTF_8));
            toChild.close();
            String out = readAll(c.input(3));
            assertThat(c.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(7);
            List<String> lines = out.lines().toList();
            assertThat(lines.get(0)).isEqualTo("hello from " + dir.toRealPath());
            assertThat(lines.get(1)).isEqualTo("got ping");
            // ls's own fds: 0-2, the pipes at 3, 4 and 5, and the directory it reads (one more)
            List<Integer> fds = lines.subList(2, lines.size()).stream().map(Integer::parseInt).toList();
            assertThat(fds).contains(0, 1, 2, 3, 4, 5).allMatch(fd -> fd <= 6).hasSizeLessThanOrEqualTo(7);
            assertThat(Files.readString(stderr)).isEqualTo("oops\n");
            c.close();
        }
    }

    @Test
    void aSignalledChildReports128PlusTheSignal_andKillAfterTheExitIsHarmless() throws Exception {
        Spawn.Child c = Spawn.start(List.of("/bin/sh", "-c", "kill -TERM $$; sleep 5"), Map.of(), dir,
                dir.resolve("err"), List.of());
        assertThat(c.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(128 + 15);
        c.kill(); // reaped already: no signal to a pid that may be another process's now
    }

    @Test
    void kill_endsAChildThatIgnoresNothing() throws Exception {
        Spawn.Child c = Spawn.start(List.of("/bin/sleep", "30"), Map.of(), dir, dir.resolve("err"), List.of());
        c.kill();
        assertThat(c.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(128 + 9);
    }

    @Test
    void aMissingProgramIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> Spawn.start(List.of("/nonexistent/conmon"), Map.of(), dir, dir.resolve("err"),
                List.of(new Spawn.Pipe(3, Spawn.Direction.CHILD_WRITES))))
                .isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/conmon");
    }
}
