package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.CliSession;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker exec, top, pause and unpause against one long-running container. */
@WharfIT
class DockerExecIT {

    private static final String NAME = Names.unique("exec");

    @BeforeAll
    static void startContainer(DockerCli docker) {
        docker.ok("run", "-d", "--name", NAME, "-e", "FROM_RUN=1", BUSYBOX, "sleep", "1000");
    }

    @AfterAll
    static void removeContainer(DockerCli docker) {
        docker.run("rm", "-f", NAME);
    }

    @Test
    void anExecWhoseClientIsKilled_isKilledToo_asDockerDoes(DockerCli docker, WharfdProcess wharfd) throws Exception {
        // one process that writes without end, one that is silent: both would outlive their clients
        CliSession loud = docker.start("exec", NAME, "sh", "-c", "echo begin; exec yes");
        CliSession quiet = docker.start("exec", NAME, "sh", "-c", "echo begin; exec sleep 777");
        loud.awaitLine("begin", java.time.Duration.ofSeconds(30));
        quiet.awaitLine("begin", java.time.Duration.ofSeconds(30));
        assertThat(docker.ok("top", NAME).out()).contains("yes", "sleep 777");
        loud.kill9();
        quiet.kill9();
        Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(docker.ok("top", NAME).out()).doesNotContain("yes").doesNotContain("sleep 777"));
        long before = wharfd.cpuTicks();
        Thread.sleep(2000);
        assertThat(wharfd.cpuTicks() - before).as("the daemon's CPU ticks in 2 s once the clients are gone")
                .isLessThan(50);
    }

    @Test
    void exec_printsOutputAndExitsWithTheProcessCode(DockerCli docker) {
        CliResult ok = docker.run("exec", NAME, "sh", "-c", "echo out; echo err >&2; echo $FROM_RUN");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.stdout()).isEqualTo("out\n1\n");
        assertThat(ok.stderr()).isEqualTo("err\n");

        assertThat(docker.run("exec", NAME, "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
    }

    @Test
    void exec_missingOrUnrunnableCommand_is126(DockerCli docker) {
        // moby records 126 for every exec that fails to start (docker-py's test_exec_run_failed)
        CliResult missing = docker.run("exec", NAME, "nosuch");
        assertThat(missing.exitCode()).isEqualTo(126);
        assertThat(missing.stdout() + missing.stderr()).contains("executable file not found");

        CliResult notExecutable = docker.run("exec", NAME, "/etc/passwd");
        assertThat(notExecutable.exitCode()).isEqualTo(126);
    }

    @Test
    void exec_userWorkdirAndEnv(DockerCli docker) {
        CliResult r = docker.ok("exec", "-u", "65534:65534", "-w", "/tmp", "-e", "FOO=bar", NAME, "sh", "-c",
                "id -u; id -g; pwd; echo $FOO; echo $FROM_RUN");
        assertThat(r.lines()).containsExactly("65534", "65534", "/tmp", "bar", "1");
    }

    @Test
    void exec_stdinAndTty(DockerCli docker) {
        CliResult in = docker.run("hello-stdin\n".getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT,
                "exec", "-i", NAME, "cat");
        assertThat(in.exitCode()).as(in.toString()).isZero();
        assertThat(in.stdout()).isEqualTo("hello-stdin\n");

        CliResult tty = docker.ok("exec", "-t", NAME, "sh", "-c", "tty; echo $TERM");
        assertThat(tty.stdout()).isEqualTo("/dev/pts/0\r\nxterm\r\n");
    }

    @Test
    void execDetached_runsInTheBackground(DockerCli docker) {
        docker.ok("exec", "-d", NAME, "sh", "-c", "echo done > /tmp/detached");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(docker.run("exec", NAME, "cat", "/tmp/detached").stdout()).isEqualTo("done\n"));
    }

    /** With a TTY, the exec's detach keys end the client's stream and leave the process running. */
    @Test
    void execDetachKeys_leaveTheProcessRunning(Api api, DockerCli docker) throws Exception {
        Api.Response created = api.postJson("/containers/" + NAME + "/exec", java.util.Map.of("Cmd",
                List.of("sh"), "Tty", true, "AttachStdin", true,
                "AttachStdout", true, "AttachStderr", true, "DetachKeys", "ctrl-x,x"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("Id").asText();
        try (Api.Stream s = api.open("POST", "/exec/" + id + "/start",
                java.util.Map.of("Upgrade", "tcp", "Content-Type", "application/json"),
                "{\"Detach\":false,\"Tty\":true}".getBytes(StandardCharsets.UTF_8), java.time.Duration.ofSeconds(30))) {
            assertThat(s.status()).isEqualTo(101);
            write(s, "echo hel''lo\n");
            StringBuilder seen = new StringBuilder();
            int c;
            while (!seen.toString().contains("hello") && (c = s.body().read()) != -1) {
                seen.append((char) c);
            }
            assertThat(seen.toString()).contains("hello");
            write(s, "\u0018");
            write(s, "x");
            s.body().readAllBytes(); // the daemon ends the stream
        }
        var exec = api.get("/exec/" + id + "/json").json();
        assertThat(exec.path("Running").asBoolean()).isTrue();
        String pid = exec.path("Pid").asText();
        // top's default (ps -ef) lists the detached shell: its PID, and sh as the command
        assertThat(docker.ok("top", NAME).out().lines().map(l -> List.of(l.trim().split("\\s+"))))
                .anyMatch(cols -> cols.get(1).equals(pid) && cols.getLast().equals("sh"));
        assertThat(api.postJson("/containers/" + NAME + "/exec", java.util.Map.of("Cmd", List.of("true"),
                "DetachKeys", "ctrl-1")).message()).isEqualTo("Invalid detach keys (ctrl-1) provided");
    }

    private static void write(Api.Stream s, String text) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            s.channel().write(b);
        }
    }

    @Test
    void twentyConcurrentExecs_eachGetTheirOwnOutput(DockerCli docker) {
        List<CompletableFuture<CliResult>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String word = "out-" + i;
            runs.add(CompletableFuture.supplyAsync(() -> docker.run("exec", NAME, "sh", "-c", "echo " + word)));
        }
        for (int i = 0; i < 20; i++) {
            CliResult r = runs.get(i).join();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("out-" + i + "\n");
        }
    }

    @Test
    void exec_inAStoppedContainer_isRefused(DockerCli docker) {
        String stopped = Names.unique("exec-stopped");
        try {
            docker.ok("create", "--name", stopped, BUSYBOX, "true");
            CliResult r = docker.run("exec", stopped, "true");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("is not running");
        } finally {
            docker.run("rm", "-f", stopped);
        }
    }

    @Test
    void top_listsTheContainersProcesses(DockerCli docker) {
        CliResult top = docker.ok("top", NAME);
        assertThat(top.lines().getFirst()).startsWith("UID").contains("PID").endsWith("CMD");
        assertThat(top.stdout()).contains("sleep 1000");

        CliResult custom = docker.ok("top", NAME, "-o", "pid,comm");
        assertThat(custom.lines().getFirst()).matches("PID\\s+COMMAND");
        assertThat(custom.lines()).anySatisfy(l -> assertThat(l).endsWith("sleep"));
    }

    @Test
    void pauseUnpause_freezesAndThawsTheContainer(DockerCli docker) {
        docker.ok("pause", NAME);
        try {
            assertThat(docker.ok("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", NAME).out())
                    .isEqualTo("paused true");
            assertThat(docker.ok("ps", "--filter", "name=" + NAME, "--format", "{{.Status}}").out())
                    .endsWith("(Paused)");
            CliResult exec = docker.run("exec", NAME, "true");
            assertThat(exec.stderr()).contains("is paused");
            assertThat(docker.run("pause", NAME).stderr()).contains("is already paused");
        } finally {
            docker.ok("unpause", NAME);
        }
        assertThat(docker.ok("inspect", "-f", "{{.State.Status}}", NAME).out()).isEqualTo("running");
        assertThat(docker.ok("exec", NAME, "echo", "thawed").out()).isEqualTo("thawed");
    }

    @Test
    void wharfExec_andTop(WharfCli wharf) {
        CliResult r = wharf.run("exec", "-e", "X=y", NAME, "sh", "-c", "echo $X; exit 4");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.stdout()).isEqualTo("y\n");
        assertThat(wharf.run("top", NAME).stdout()).contains("sleep 1000");
    }
}
