package dev.wharf.it.build;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.CliSession;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.WharfIT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code DOCKER_BUILDKIT=0 docker build} (the docker CLI's classic builder) against wharfd. */
@WharfIT
class DockerBuildIT {

    private static String tag(String what) {
        return "wharf-test/" + Names.unique(what) + ":1";
    }

    private static CliResult build(DockerCli docker, Path ctx, String... flags) {
        String[] args = new String[flags.length + 2];
        args[0] = "build";
        System.arraycopy(flags, 0, args, 1, flags.length);
        args[args.length - 1] = ctx.toString();
        return docker.run(null, Duration.ofSeconds(120), args);
    }

    private static String inspect(DockerCli docker, String format, String ref) {
        return docker.ok("image", "inspect", "--format", format, ref).out();
    }

    @Test
    void everyMetadataInstruction_setsTheImageConfig(DockerCli docker) {
        String ref = tag("meta");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", """
                # syntax=docker/dockerfile:1
                ARG BASE=%s
                FROM $BASE AS base
                MAINTAINER someone@example.com
                ENV GREETING="hello world" \\
                    EMPTY=
                ENV LEGACY some value
                LABEL org.example.name="wharf test" version=1
                EXPOSE 80 53/udp
                VOLUME ["/data"]
                STOPSIGNAL SIGINT
                HEALTHCHECK --interval=5s --timeout=2s --retries=4 CMD true
                SHELL ["/bin/sh", "-ec"]
                WORKDIR /srv
                WORKDIR app
                USER app
                ONBUILD RUN echo child
                ENTRYPOINT ["/bin/echo"]
                CMD ["${GREETING}"]
                """.formatted(BUSYBOX)));

        CliResult b = build(docker, ctx, "-t", ref);

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(inspect(docker, "{{.Author}}", ref)).isEqualTo("someone@example.com");
        assertThat(inspect(docker, "{{json .Config.Env}}", ref)).contains("\"GREETING=hello world\"", "\"EMPTY=\"",
                "\"LEGACY=some value\"");
        assertThat(inspect(docker, "{{json .Config.Labels}}", ref))
                .isEqualTo("{\"org.example.name\":\"wharf test\",\"version\":\"1\"}");
        assertThat(inspect(docker, "{{json .Config.ExposedPorts}}", ref)).isEqualTo("{\"53/udp\":{},\"80/tcp\":{}}");
        assertThat(inspect(docker, "{{json .Config.Volumes}}", ref)).isEqualTo("{\"/data\":{}}");
        assertThat(inspect(docker, "{{.Config.StopSignal}}", ref)).isEqualTo("SIGINT");
        assertThat(inspect(docker, "{{json .Config.Healthcheck}}", ref)).contains("\"Test\":[\"CMD-SHELL\",\"true\"]",
                "\"Interval\":5000000000", "\"Timeout\":2000000000", "\"Retries\":4");
        assertThat(inspect(docker, "{{json .Config.Shell}}", ref)).isEqualTo("[\"/bin/sh\",\"-ec\"]");
        assertThat(inspect(docker, "{{.Config.WorkingDir}} {{.Config.User}}", ref)).isEqualTo("/srv/app app");
        assertThat(inspect(docker, "{{json .Config.OnBuild}}", ref)).isEqualTo("[\"RUN echo child\"]");
        assertThat(inspect(docker, "{{json .Config.Entrypoint}} {{json .Config.Cmd}}", ref))
                .isEqualTo("[\"/bin/echo\"] [\"${GREETING}\"]");
        CliResult run = docker.run("run", "--rm", ref);
        assertThat(run.out()).isEqualTo("${GREETING}");
        CliResult history = docker.ok("history", "--no-trunc", "--format", "{{.CreatedBy}}", ref);
        assertThat(history.out()).contains("ENV GREETING=", "WORKDIR /srv/app", "HEALTHCHECK --interval=5s");
        // the child build runs the ONBUILD trigger
        String child = tag("child");
        CliResult c = build(docker, BuildContexts.dir(Map.of("Dockerfile", "FROM " + ref + "\nUSER root\n")), "-t",
                child);
        assertThat(c.exitCode()).as(c.toString()).isZero();
        assertThat(c.out()).contains("# Executing 1 build trigger", "child");
        docker.ok("rmi", child, ref);
    }

    @Test
    void output_isDockersClassicStream_andIidfileHasTheId(DockerCli docker) throws IOException {
        String ref = tag("out");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN echo from-the-step\nCMD [\"sh\"]\n"));
        Path iid = TempPaths.file("iid", ".txt");

        CliResult b = build(docker, ctx, "-t", ref, "--iidfile", iid.toString());

        assertThat(b.exitCode()).as(b.toString()).isZero();
        List<String> lines = b.lines();
        String id = Files.readString(iid);
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(lines).containsSubsequence("Step 1/3 : FROM " + BUSYBOX, "Step 2/3 : RUN echo from-the-step",
                "from-the-step", "Step 3/3 : CMD [\"sh\"]", "Successfully built " + id.substring(7, 19),
                "Successfully tagged " + ref);
        assertThat(lines).anyMatch(l -> l.matches(" ---> Running in [0-9a-f]{12}"))
                .anyMatch(l -> l.matches("Removing intermediate container [0-9a-f]{12}"))
                .anyMatch(l -> l.matches(" ---> [0-9a-f]{12}"));
        assertThat(inspect(docker, "{{.Id}}", ref)).isEqualTo(id);
        // docker images hides the step images, -a shows them
        String runStep = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("Removing intermediate"))
                .findFirst().orElseThrow()) + 1).substring(6);
        assertThat(docker.ok("images", "-q").lines()).doesNotContain(runStep);
        assertThat(docker.ok("images", "-a", "-q").lines()).contains(runStep);
        // rmi removes the step images with it, as Docker's does, and leaves nothing dangling
        CliResult rmi = docker.ok("rmi", ref);
        assertThat(rmi.lines()).contains("Untagged: " + ref, "Deleted: " + id)
                .anyMatch(l -> l.startsWith("Deleted: sha256:" + runStep));
        assertThat(docker.ok("images", "-a", "-q").lines()).doesNotContain(runStep);
    }

    @Test
    void rmiNoPrune_keepsTheStepImages_andAStepUnderAnotherImageCannotBeDeleted(DockerCli docker)
            throws IOException {
        String ref = "wharf-test/" + Names.unique("noprune") + ":1";
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN echo one > /one\nCMD [\"sh\"]\n"));
        assertThat(build(docker, ctx, "-t", ref).exitCode()).isZero();
        String parent = inspect(docker, "{{.Parent}}", ref);
        CliResult child = docker.run("rmi", parent);
        assertThat(child.exitCode()).isNotZero();
        assertThat(child.stderr()).contains("image has dependent child images");
        CliResult rmi = docker.ok("rmi", "--no-prune", ref);
        assertThat(rmi.lines().stream().filter(l -> l.startsWith("Deleted:"))).hasSize(1);
        assertThat(docker.ok("images", "-a", "-q", "--no-trunc").lines()).contains(parent);
        docker.ok("rmi", parent);
    }

    @Test
    void cache_hitsWhenNothingChanged_missesOnAChangedFileOrArg(DockerCli docker) throws IOException {
        String ref = tag("cache");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nARG V=1\nCOPY app.txt /app.txt\n"
                + "RUN echo $V > /v && cat /app.txt\n", "app.txt", "one"));
        CliResult first = build(docker, ctx, "-t", ref);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).doesNotContain("Using cache");
        String id = inspect(docker, "{{.Id}}", ref);

        CliResult same = build(docker, ctx, "-t", ref);
        assertThat(same.out().split(" ---> Using cache", -1)).hasSize(4);
        assertThat(inspect(docker, "{{.Id}}", ref)).isEqualTo(id);

        Files.setLastModifiedTime(ctx.resolve("app.txt"), java.nio.file.attribute.FileTime.fromMillis(1_000));
        CliResult touched = build(docker, ctx, "-t", ref);
        assertThat(touched.out().split(" ---> Using cache", -1)).as("file times never matter").hasSize(4);

        CliResult arg = build(docker, ctx, "-t", ref, "--build-arg", "V=2");
        assertThat(arg.out()).doesNotContain("Using cache");
        assertThat(docker.ok("run", "--rm", ref, "cat", "/v").out()).isEqualTo("2");

        Files.writeString(ctx.resolve("app.txt"), "two");
        CliResult file = build(docker, ctx, "-t", ref);
        assertThat(file.out().split(" ---> Using cache", -1)).as(file.out()).hasSize(2); // ARG only
        assertThat(file.out()).contains("two");

        CliResult noCache = build(docker, ctx, "-t", ref, "--no-cache");
        assertThat(noCache.out()).doesNotContain("Using cache");
        docker.ok("rmi", ref);
    }

    @Test
    void copyAndAdd_followDockersRules(DockerCli docker) throws IOException {
        String ref = tag("copy");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", """
                FROM %s
                COPY --chown=app:app --chmod=0750 run.sh /opt/bin/
                COPY *.txt /glob/
                COPY dir /copied-dir
                COPY dir/sub/deep.txt /renamed.txt
                ADD archive.tar.gz /unpacked/
                COPY archive.tar.gz /kept/
                WORKDIR /w
                COPY run.sh rel/
                COPY --link --chmod=0755 run.sh /linked/
                RUN stat -c '%%U:%%G %%a' /opt/bin/run.sh && ls /glob && ls -R /copied-dir && cat /renamed.txt \\
                    && ls /unpacked/inside && ls /kept && ls /w/rel && /linked/run.sh
                """.formatted(BUSYBOX));
        files.put("run.sh", "#!/bin/sh\necho hi\n");
        files.put("a.txt", "a");
        files.put("b.txt", "b");
        files.put("dir/top.txt", "top\n");
        files.put("dir/sub/deep.txt", "deep\n");
        Path ctx = BuildContexts.dir(files);
        writeTarGz(ctx.resolve("archive.tar.gz"), Map.of("inside/x.txt", "x"));

        CliResult b = build(docker, ctx, "-t", ref);

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("app:app 750", "a.txt", "b.txt", "top.txt", "deep", "x.txt", "archive.tar.gz",
                "run.sh", "hi");
        assertThat(b.lines()).doesNotContain("Dockerfile");
        docker.ok("rmi", ref);
    }

    @Test
    void addUrl_fetchedByTheDaemon_checksumChecked_unreachableIsAClearError(DockerCli docker) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = "served over http\n".getBytes(StandardCharsets.UTF_8);
        http.createContext("/files/served.txt", ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/files/served.txt";
            String sum = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body));
            String ref = tag("url");
            CliResult ok = build(docker, BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nADD --checksum="
                    + sum + " " + url + " /dl/\nRUN cat /dl/served.txt\n")), "-t", ref);
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(ok.lines()).contains("served over http");

            CliResult bad = build(docker, BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX
                    + "\nADD --checksum=sha256:" + "0".repeat(64) + " " + url + " /dl/\n")));
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.stderr()).contains("digest mismatch sha256:" + "0".repeat(64));

            int closed;
            try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            CliResult down = build(docker, BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX
                    + "\nADD http://127.0.0.1:" + closed + "/x.txt /x.txt\n")));
            assertThat(down.exitCode()).isNotZero();
            assertThat(down.stderr()).contains("Get \"http://127.0.0.1:" + closed + "/x.txt\"", "connection refused");
            docker.ok("rmi", ref);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void dockerignore_andADockerfileOutsideTheContext(DockerCli docker) throws IOException {
        String ref = tag("ignore");
        Path ctx = BuildContexts.dir(Map.of(
                ".dockerignore", "*.log\nsecret/\n**/tmp\n!keep.log\n",
                "app.txt", "app", "debug.log", "noise", "keep.log", "kept", "secret/key", "k", "src/tmp/x", "t",
                "src/main.txt", "main"));
        Path outside = TempPaths.file("Dockerfile", ".outside");
        Files.writeString(outside, "FROM " + BUSYBOX + "\nCOPY . /ctx/\nRUN cd /ctx && find . -type f | sort\n");

        CliResult b = docker.run(null, Duration.ofSeconds(120), "build", "-f", outside.toString(), "-t", ref,
                ctx.toString());

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("./app.txt", "./keep.log", "./src/main.txt")
                .doesNotContain("./debug.log", "./secret/key", "./src/tmp/x");
        assertThat(b.lines()).noneMatch(l -> l.startsWith("./.dockerfile."));
        docker.ok("rmi", ref);
    }

    @Test
    void copyOfSourcesThatAreIgnoredOrMissing_failsWithDockersMessage_andNoLaterStageRuns(DockerCli docker) {
        Map<String, String> files = Map.of(".dockerignore", "*.log\n", "debug.log", "noise");
        CliResult glob = build(docker, BuildContexts.dir(with(files, "Dockerfile", "FROM " + BUSYBOX + " AS base\n"
                + "COPY *.log /logs/\nFROM base AS final\nRUN echo final\n")));
        assertThat(glob.exitCode()).isNotZero();
        assertThat(glob.stderr()).contains("COPY failed: no source files were specified");
        assertThat(glob.out()).contains("Step 2/4 : COPY *.log /logs/").doesNotContain("Step 3/4", "Step 4/4");

        CliResult named = build(docker, BuildContexts.dir(with(files, "Dockerfile", "FROM " + BUSYBOX + "\n"
                + "ADD debug.log /debug.log\n")));
        assertThat(named.exitCode()).isNotZero();
        assertThat(named.stderr()).contains("ADD failed: file not found in build context or excluded by "
                + ".dockerignore: stat debug.log: file does not exist");
    }

    private static Map<String, String> with(Map<String, String> files, String name, String content) {
        Map<String, String> all = new java.util.HashMap<>(files);
        all.put(name, content);
        return all;
    }

    @Test
    void heredocs_runScriptsAndWriteFiles(DockerCli docker) {
        String ref = tag("heredoc");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", """
                FROM %s
                ARG WHO=world
                RUN <<EOF
                echo first line
                echo second line > /lines
                EOF
                RUN <<EOF
                #!/bin/sh
                echo "from a script: $0"
                EOF
                COPY <<GREET /etc/greeting
                hello ${WHO}
                GREET
                COPY <<"RAW" /etc/raw
                hello ${WHO}
                RAW
                RUN cat /etc/greeting /etc/raw /lines
                """.formatted(BUSYBOX)));

        CliResult b = build(docker, ctx, "-t", ref);

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("first line", "from a script: /dev/pipes/EOF", "hello world", "hello ${WHO}",
                "second line");
        docker.ok("rmi", ref);
    }

    @Test
    void multiStage_buildsWhatTheTargetNeeds_copiesFromStagesAndImages(DockerCli docker) {
        String ref = tag("stages");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", """
                FROM %1$s AS unused
                RUN echo never-built
                FROM %1$s AS build
                RUN echo artifact > /artifact
                FROM build AS test
                RUN echo tested > /tested
                FROM %1$s
                COPY --from=build /artifact /from-name
                COPY --from=1 /artifact /from-index
                COPY --from=%1$s /etc/passwd /from-image
                RUN cat /from-name /from-index && grep -c app /from-image
                """.formatted(BUSYBOX)));

        CliResult b = build(docker, ctx, "-t", ref);

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.out()).doesNotContain("never-built", "echo tested");
        assertThat(b.lines()).contains("artifact", "1").doesNotContain("tested");
        assertThat(b.lines().getFirst()).contains("Sending build context");

        CliResult target = build(docker, ctx, "-t", ref + "-test", "--target", "test");
        assertThat(target.exitCode()).as(target.toString()).isZero();
        assertThat(target.out()).contains("Step 4/4 : RUN echo tested > /tested").doesNotContain("never-built");
        assertThat(docker.ok("run", "--rm", ref + "-test", "cat", "/tested").out()).isEqualTo("tested");

        CliResult missing = build(docker, ctx, "--target", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("failed to reach build target nope in Dockerfile");
        docker.ok("rmi", ref, ref + "-test");
    }

    @Test
    void runMounts_cacheKeptAcrossBuilds_bindTmpfs_andNetworkNone(DockerCli docker) {
        String id = Names.unique("cachemount");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", """
                FROM %1$s AS files
                RUN echo from-stage > /stage-file
                FROM %1$s
                ARG N=1
                RUN --mount=type=cache,target=/var/cache/app,id=%2$s echo $N >> /var/cache/app/runs \\
                    && wc -l < /var/cache/app/runs
                RUN --mount=type=bind,source=input.txt,target=/in.txt cat /in.txt
                RUN --mount=type=bind,from=files,source=/stage-file,target=/s cat /s
                RUN --mount=type=tmpfs,target=/scratch echo tmp > /scratch/f && cat /scratch/f \\
                    && cp /bin/busybox /scratch/ && /scratch/busybox echo ran-from-tmpfs
                RUN --network=none ls /sys/class/net | tr '\\n' ' ' && echo
                RUN ls /var/cache/app /in.txt /scratch 2>&1 | head -3; true
                """.formatted(BUSYBOX, id), "input.txt", "bound from the context\n"));

        CliResult first = build(docker, ctx, "--build-arg", "N=1");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.lines()).contains("1", "bound from the context", "from-stage", "tmp", "ran-from-tmpfs", "lo ");
        CliResult second = build(docker, ctx, "--build-arg", "N=2");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.lines()).as("the cache directory outlives the first build").contains("2");
        assertThat(second.out()).contains("No such file or directory");
    }

    @Test
    void ulimitAndAddHost_reachEveryRunStep_alsoWithNetworkNone(DockerCli docker) {
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN ulimit -n; grep foo /etc/hosts\n"));

        CliResult b = build(docker, ctx, "--no-cache", "--ulimit", "nofile=512:1024", "--add-host", "foo:1.2.3.4",
                "--network", "none");

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("512", "1.2.3.4\tfoo");
    }

    @Test
    void failingStep_isTheErrorAndExitCode_andLeavesNothingBehind(DockerCli docker) {
        int containersBefore = docker.ok("ps", "-aq").lines().size();
        String ref = tag("fail");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN echo before\nRUN exit 3\nRUN echo after\n"));

        CliResult b = build(docker, ctx, "-t", ref);

        assertThat(b.exitCode()).isEqualTo(3);
        assertThat(b.stderr()).contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(b.out()).contains("Step 3/4 : RUN exit 3").doesNotContain("Step 4/4", "Successfully");
        assertThat(docker.ok("ps", "-aq").lines()).hasSize(containersBefore);
        assertThat(docker.run("image", "inspect", ref).exitCode()).isNotZero();

        CliResult parse = build(docker, BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nBOGUS x\n")));
        assertThat(parse.exitCode()).isNotZero();
        assertThat(parse.stderr()).contains("Error response from daemon: dockerfile parse error on line 2: unknown instruction: BOGUS");

        // a base image that is not here is pulled; from a registry that does not answer, the build fails saying so
        CliResult noBase = build(docker, BuildContexts.dir(Map.of("Dockerfile",
                "FROM 127.0.0.1:9/wharf-test/not-here:1\n")));
        assertThat(noBase.exitCode()).isNotZero();
        assertThat(noBase.stderr()).contains("127.0.0.1:9").contains("connection refused");

        CliResult noFile = build(docker, BuildContexts.dir(Map.of("other", "x")));
        assertThat(noFile.exitCode()).isNotZero();
    }

    @Test
    void dockerfileOnStdin(DockerCli docker) {
        CliResult b = docker.run(("FROM " + BUSYBOX + "\nRUN echo from-stdin\n").getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(60), "build", "-q", "-");
        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.out()).matches("sha256:[0-9a-f]{64}");
        docker.ok("rmi", b.out());
    }

    @Test
    void pruning_removesDanglingBuildImages(DockerCli docker) {
        String ref = tag("prune");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nARG V\nRUN echo $V > /v\n"));
        assertThat(build(docker, ctx, "-t", ref, "--build-arg", "V=a").exitCode()).isZero();
        String oldId = inspect(docker, "{{.Id}}", ref);
        assertThat(build(docker, ctx, "-t", ref, "--build-arg", "V=b").exitCode()).isZero();
        assertThat(docker.ok("images", "-a", "-q", "--no-trunc").lines()).contains(oldId);

        CliResult prune = docker.ok("builder", "prune", "-f");

        assertThat(prune.out()).contains(oldId.substring(7)).contains("Total reclaimed space:");
        assertThat(docker.ok("images", "-a", "-q", "--no-trunc").lines()).doesNotContain(oldId);
        assertThat(docker.ok("run", "--rm", ref, "cat", "/v").out()).isEqualTo("b");

        // a rebuild's old image, left untagged, is what image prune takes, with the steps under it
        String newId = inspect(docker, "{{.Id}}", ref);
        assertThat(build(docker, ctx, "-t", ref, "--build-arg", "V=c").exitCode()).isZero();
        CliResult imagePrune = docker.ok("image", "prune", "-f");
        assertThat(imagePrune.out()).contains("deleted: " + newId);
        docker.ok("rmi", ref);
    }

    @Test
    void aBuildWhoseClientIsKilled_isCancelled_andItsRunStepKilled(DockerCli docker) {
        String ref = tag("cancelled");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile",
                "FROM " + BUSYBOX + "\nRUN echo begins | tr a-z A-Z; sleep 613; echo never\nRUN echo after\n"));
        String container;
        try (CliSession client = docker.start("build", "--no-cache", "-t", ref, ctx.toString())) {
            client.awaitLine("BEGINS", Duration.ofSeconds(60)); // the step's output, not its echo in "Step 2/3"
            container = client.lines().stream().filter(l -> l.contains("Running in ")).findFirst().orElseThrow()
                    .replaceFirst(".*Running in ", "").strip();
            assertThat(docker.ok("top", container).out()).contains("sleep 613");
            client.kill9();
        }

        // as with Docker: the step's process is killed and its container removed, nothing is tagged
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(docker.ok("ps", "-a", "-q", "--filter", "id=" + container).out()).isEmpty());
        assertThat(docker.run("image", "inspect", ref).exitCode()).isEqualTo(1);
        // and the builder is free: the same Dockerfile builds at once when asked again without the sleep
        Path quick = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN echo quick > /q\n"));
        assertThat(build(docker, quick, "-t", ref).exitCode()).isZero();
        docker.ok("rmi", ref);
    }

    private static void writeTarGz(Path file, Map<String, String> entries) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        BuildContexts.write(entries, raw);
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(raw.toByteArray());
        }
    }
}
