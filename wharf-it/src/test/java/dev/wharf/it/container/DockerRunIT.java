package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code docker run}, {@code create}, {@code start -a} and {@code attach} as a user sees them. */
@WharfIT
class DockerRunIT {

    @Test
    void runRm_printsOutput_andRemovesTheContainer(DockerCli docker) {
        String name = Names.unique("hi");

        CliResult run = docker.run("run", "--rm", "--name", name, BUSYBOX, "echo", "hi");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
        assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
    }

    @Test
    void runRm_exitsWithTheProcessExitCode(DockerCli docker) {
        CliResult run = docker.run("run", "--rm", BUSYBOX, "sh", "-c", "exit 42");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(42);
    }

    @Test
    void run_unknownCommand_exits127_andRmStillRemoves(DockerCli docker) {
        String name = Names.unique("nocmd");

        CliResult run = docker.run("run", "--rm", "--name", name, BUSYBOX, "nosuchcmd");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(127);
        assertThat(run.stderr()).contains("nosuchcmd");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name));
    }

    /**
     * Fifty megabytes through {@code docker run} arrive whole. The docker CLI half-closes an attach
     * without stdin; on Netty 4.2.13-4.2.18's epoll transport that dropped the channel's epoll
     * registration, and the first write that filled the socket cut the output short (half the runs).
     */
    @Test
    void runRm_largeOutput_arrivesWhole(DockerCli docker) {
        int size = 50_000_000;
        for (int i = 0; i < 3; i++) {
            CliResult r = docker.run(null, Duration.ofSeconds(60), "run", "--rm", "--network", "none", BUSYBOX,
                    "sh", "-c", "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c " + size);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout().length()).as("run " + (i + 1)).isEqualTo(size);
        }
    }

    @Test
    void runInteractive_passesStdinToTheProcess(DockerCli docker) {
        CliResult run = docker.run("hi\n".getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT,
                "run", "-i", "--rm", BUSYBOX, "cat");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
    }

    @Test
    void runTty_outputHasTerminalLineEndings(DockerCli docker) {
        CliResult run = docker.run("run", "-t", "--rm", BUSYBOX, "echo", "tty");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("tty\r\n");
    }

    @Test
    void runDetached_printsTheFullId(DockerCli docker) {
        String name = Names.unique("detach");
        try {
            CliResult run = docker.run("run", "-d", "--name", name, BUSYBOX, "true");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).matches("[0-9a-f]{64}");
            assertThat(docker.ok("wait", name).out()).isEqualTo("0");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void createThenStartAttached_printsOutputAndExitCode(DockerCli docker) {
        String name = Names.unique("create");
        try {
            CliResult create = docker.run("create", "--name", name, BUSYBOX, "sh", "-c", "echo created-then-started; exit 3");
            assertThat(create.exitCode()).as(create.toString()).isZero();
            assertThat(create.out()).matches("[0-9a-f]{64}");
            assertThat(docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out()).isEqualTo("Created");

            CliResult start = docker.run("start", "-a", name);

            assertThat(start.exitCode()).as(start.toString()).isEqualTo(3);
            assertThat(start.stdout()).isEqualTo("created-then-started\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void attach_streamsOutputUntilExit_andReturnsTheExitCode(DockerCli docker) {
        String name = Names.unique("attach");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c",
                    "i=0; while [ $i -lt 15 ]; do echo tick$i; i=$((i+1)); sleep 0.2; done; echo bye; exit 3");

            CliResult attach = docker.run("attach", name);

            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(3);
            assertThat(attach.stdout()).contains("tick1").endsWith("bye\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void detachKeys_endTheAttachAndLeaveTheContainerRunning(Api api, DockerCli docker) throws Exception {
        String name = Names.unique("detach");
        try {
            docker.ok("run", "-d", "-i", "-t", "--name", name, BUSYBOX, "sh");
            // a custom sequence, split across no particular reads
            try (Api.Stream s = attach(api, name, "&detachKeys=ctrl-x,x")) {
                send(s, "echo hel''lo1\n");
                readUntil(s, "hello1");
                send(s, "\u0018");
                send(s, "x");
                assertThat(readToEnd(s)).doesNotContain("hello2");
            }
            assertThat(docker.ok("inspect", "-f", "{{.State.Status}}", name).out()).isEqualTo("running");
            // the default, ctrl-p ctrl-q, one key per write as a terminal sends them
            try (Api.Stream s = attach(api, name, "")) {
                send(s, "echo hel''lo2\n");
                readUntil(s, "hello2");
                send(s, "\u0010");
                send(s, "\u0011");
                readToEnd(s);
            }
            assertThat(docker.ok("exec", name, "echo", "still here").out()).isEqualTo("still here");
            assertThat(docker.ok("inspect", "-f", "{{.State.Status}}", name).out()).isEqualTo("running");
            assertThat(api.post("/containers/" + name + "/attach?stream=1&stdin=1&detachKeys=ctrl-1").message())
                    .isEqualTo("Invalid detach keys (ctrl-1) provided");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    private static Api.Stream attach(Api api, String name, String extra) throws IOException {
        Api.Stream s = api.open("POST", "/containers/" + name + "/attach?stream=1&stdin=1&stdout=1&stderr=1" + extra,
                Map.of("Upgrade", "tcp"), null, Duration.ofSeconds(30));
        assertThat(s.status()).isEqualTo(101);
        return s;
    }

    private static void send(Api.Stream s, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            s.channel().write(b);
        }
    }

    private static void readUntil(Api.Stream s, String wanted) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int c;
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(wanted) && (c = s.body().read()) != -1) {
            seen.write(c);
        }
        assertThat(seen.toString(StandardCharsets.ISO_8859_1)).contains(wanted);
    }

    /** What is left of the stream until the daemon closes it (a read past the deadline fails). */
    private static String readToEnd(Api.Stream s) throws IOException {
        return new String(s.body().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
