package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.CliSession;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.ProcessRunner;
import dev.wharf.it.kit.Repo;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/wharf's launcher (wharf-cli/src/main/c/wharf-launch.c): the running wharfd runs the command
 * lines that need nothing of the user's process, the user's own JVM runs the rest, and either way
 * the user sees the same output, exit code and signal handling.
 */
@WharfIT
class WharfLauncherIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path LAUNCHER = Repo.root().resolve("wharf-cli/target/wharf-launch");

    @TempDir
    static Path tmp;

    /** A stand-in for bin/wharf that says it ran: what the launcher runs when the daemon does not take a line. */
    private static Path local;

    @BeforeAll
    static void localScript() throws IOException {
        local = tmp.resolve("local.sh");
        Files.writeString(local, "#!/bin/sh\necho \"local $WHARF_LAUNCHER: $*\"\n");
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static CliResult launch(WharfdProcess wharfd, String... args) {
        return launch(wharfd.host(), null, args);
    }

    private static CliResult launch(String host, byte[] stdin, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("WHARF_HOST", host, "JAVA_HOME", Repo.javaHome()));
        return ProcessRunner.run(ProcessRunner.concat(List.of(LAUNCHER.toString(), local.toString()), args), env,
                stdin, TIMEOUT);
    }

    @Test
    void aLineThatNeedsNothingLocal_isRunByTheDaemon_withTheCliOutput(WharfdProcess wharfd, WharfCli wharf) {
        String name = Names.unique("launch-ps");
        wharf.ok("create", "--name", name, BUSYBOX, "true");
        try {
            CliResult viaDaemon = launch(wharfd, "ps", "-a", "--format", "{{.Names}} {{.Image}}");
            CliResult inOwnJvm = wharf.run(Map.of("WHARF_LAUNCHER", "off"), null, TIMEOUT,
                    "ps", "-a", "--format", "{{.Names}} {{.Image}}");

            assertThat(viaDaemon.exitCode()).as(viaDaemon.toString()).isZero();
            assertThat(viaDaemon.stdout()).doesNotContain("local").contains(name + " " + BUSYBOX + "\n");
            assertThat(viaDaemon.stdout()).isEqualTo(inOwnJvm.stdout());
        } finally {
            wharf.run("rm", "-f", name);
        }
    }

    @Test
    void linesThatNeedTheUsersProcess_runInItsOwnJvm(WharfdProcess wharfd, @TempDir Path dir) throws IOException {
        Path envFile = dir.resolve("env");
        Files.writeString(envFile, "A=1\n");
        List<List<String>> lines = List.of(
                List.of("load"),                                              // reads stdin
                List.of("run", "-i", "--rm", BUSYBOX, "cat"),                  // stdin
                List.of("run", "--rm", "-t", BUSYBOX, "true"),                 // a terminal
                List.of("run", "--rm", "--env-file", envFile.toString(), BUSYBOX, "env"), // a local file
                List.of("exec", "-i", "x", "true"),
                List.of("save", "-o", dir.resolve("x.tar").toString(), BUSYBOX),
                List.of("cp", "x:/etc/hostname", dir.toString()),
                List.of("ps", "--no-such-flag"),                              // the usage comes from the JVM
                List.of("--no-such-global-flag", "ps"),
                List.of("no-such-command"));
        for (List<String> line : lines) {
            CliResult r = launch(wharfd, line.toArray(String[]::new));

            assertThat(r.stdout()).as(r.toString()).isEqualTo("local off: " + String.join(" ", line) + "\n");
        }
        assertThat(Files.exists(dir.resolve("x.tar"))).isFalse();
    }

    @Test
    void noDaemonOrNotAUnixSocket_runsTheLineInItsOwnJvm() {
        for (String host : List.of("unix://" + tmp.resolve("no-daemon.sock"), "tcp://127.0.0.1:1")) {
            CliResult r = launch(host, null, "ps");

            assertThat(r.stdout()).as(r.toString()).isEqualTo("local off: ps\n");
        }
    }

    @Test
    void streamsAndExitCode_areTheContainers(WharfdProcess wharfd) {
        CliResult r = launch(wharfd, "run", "--rm", BUSYBOX, "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void anErrorFromTheDaemon_isOneLineAndExitOne_asInTheJvm(WharfdProcess wharfd, WharfCli wharf) {
        CliResult viaDaemon = launch(wharfd, "rm", "no-such-container-here");
        CliResult inOwnJvm = wharf.run(Map.of("WHARF_LAUNCHER", "off"), null, TIMEOUT, "rm", "no-such-container-here");

        assertThat(viaDaemon.exitCode()).isEqualTo(1).isEqualTo(inOwnJvm.exitCode());
        assertThat(viaDaemon.stderr()).isEqualTo("Error response from daemon: No such container: no-such-container-here\n")
                .isEqualTo(inOwnJvm.stderr());
        assertThat(viaDaemon.stdout()).isEmpty();
    }

    // TERM rather than INT (Ctrl-C) in these two: a job that a non-interactive shell starts in the
    // background has INT ignored, and the CLI, in its JVM or through the launcher, leaves an ignored
    // signal ignored; both signals take the same path otherwise.

    @Test
    void aSignal_toAnAttachedRun_goesToTheContainer(WharfCli wharf) throws Exception {
        String name = Names.unique("launch-sig");
        try (CliSession run = wharf.start("run", "--rm", "--name", name, BUSYBOX, "sh", "-c",
                "trap 'echo got TERM; exit 7' TERM; echo ready; sleep 60 & wait")) {
            run.awaitLine("ready", TIMEOUT);

            new ProcessBuilder("kill", "-TERM", Long.toString(run.client().pid())).start().waitFor();

            assertThat(run.awaitExit(TIMEOUT)).as(run.toString()).isEqualTo(7);
            assertThat(run.lines()).contains("got TERM");
        }
    }

    @Test
    void aSignal_toLogsFollow_endsIt_asInTheJvm(WharfCli wharf) throws Exception {
        String name = Names.unique("launch-logs");
        wharf.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "while true; do echo tick; sleep 0.2; done");
        try {
            for (String launcher : List.of("on", "off")) {
                try (CliSession logs = launcher.equals("on") ? wharf.start("logs", "-f", name)
                        : wharf.start(Map.of("WHARF_LAUNCHER", "off"), "logs", "-f", name)) {
                    logs.awaitLine("tick", TIMEOUT);

                    new ProcessBuilder("kill", "-TERM", Long.toString(logs.client().pid())).start().waitFor();

                    assertThat(logs.awaitExit(TIMEOUT)).as("launcher %s: %s", launcher, logs).isEqualTo(143);
                }
            }
        } finally {
            wharf.run("rm", "-f", name);
        }
    }

    @Test
    void theRoute_refusesAMalformedLine_andSendsBackWhatItDoesNotRun(Api api) {
        Api.Response bad = api.send("POST", "/_wharf/cli", Map.of(), "2\0\0".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).isEqualTo("malformed wharf command line");

        Api.Response load = api.send("POST", "/_wharf/cli", Map.of(), body("load"), TIMEOUT);
        assertThat(load.status()).isEqualTo(409);
        assertThat(load.message()).isEqualTo("this command line runs in the client");

        // a line for another daemon than this one is not run here
        Api.Response other = api.send("POST", "/_wharf/cli", Map.of(), body("-H", "unix:///elsewhere.sock", "ps"),
                TIMEOUT);
        assertThat(other.status()).isEqualTo(409);
    }

    private static byte[] body(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String f : List.of("1", "", Integer.toString(args.length))) {
            b.writeBytes((f + "\0").getBytes(StandardCharsets.UTF_8));
        }
        for (String a : args) {
            b.writeBytes((a + "\0").getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }
}
