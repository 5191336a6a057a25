package dev.wharf.it.build;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wharf build} and {@code wharf builder prune} against wharfd. */
@WharfIT
class WharfBuildIT {

    private static CliResult build(WharfCli wharf, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "build";
        System.arraycopy(args, 0, all, 1, args.length);
        return wharf.run(null, Duration.ofSeconds(120), all);
    }

    @Test
    void build_withArgsLabelsTargetAndIidfile(WharfCli wharf, DockerCli docker) throws IOException {
        String ref = "wharf-test/" + Names.unique("wb") + ":1";
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", """
                FROM %1$s AS base
                ARG WHAT=default
                RUN echo "building $WHAT" > /what
                FROM base AS final
                RUN cat /what
                FROM %1$s AS never
                RUN echo never
                """.formatted(BUSYBOX)));
        Path iid = TempPaths.file("iid", ".txt");

        CliResult b = build(wharf, "-t", ref, "--build-arg", "WHAT=release", "--label", "team=ci", "--target", "final",
                "--iidfile", iid.toString(), "--progress=plain", ctx.toString());

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("building release", "Successfully tagged " + ref);
        assertThat(b.out()).contains("Step 1/6 : FROM " + BUSYBOX + " AS base", "LABEL \"team\"=\"ci\"")
                .doesNotContain("never");
        String id = Files.readString(iid);
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}} {{index .Config.Labels \"team\"}}", ref).out())
                .isEqualTo(id + " ci");

        CliResult quiet = build(wharf, "-q", "--build-arg", "WHAT=release", "--target", "final", ctx.toString());
        assertThat(quiet.out()).matches("sha256:[0-9a-f]{64}");
        docker.ok("rmi", ref);
    }

    @Test
    void secret_isMountedForTheStep_andNeverInTheImage(WharfCli wharf, DockerCli docker) throws IOException {
        String ref = "wharf-test/" + Names.unique("secret") + ":1";
        Path secret = TempPaths.file("token", ".txt");
        Files.writeString(secret, "s3cr3t-value");
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", """
                FROM %s
                RUN --mount=type=secret,id=token,required=true tr a-z A-Z < /run/secrets/token && echo
                COPY . /ctx/
                RUN ls -a /ctx; ls /run 2>&1 | head -1
                """.formatted(BUSYBOX)));

        CliResult b = build(wharf, "-t", ref, "--secret", "id=token,src=" + secret, ctx.toString());

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("S3CR3T-VALUE").noneMatch(l -> l.contains(".wharf-build-secrets"));
        CliResult grep = docker.run("run", "--rm", ref, "sh", "-c",
                "find / -xdev -type f -exec grep -l s3cr3t-value {} + 2>/dev/null; echo done");
        assertThat(grep.out()).isEqualTo("done");

        CliResult missing = build(wharf, "--no-cache", ctx.toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("secret token: not found");
        docker.ok("rmi", ref);
    }

    @Test
    void failingStep_exitsWithItsCode_onStderr(WharfCli wharf) {
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN echo going && exit 7\n"));

        CliResult b = build(wharf, "--progress=plain", ctx.toString());

        assertThat(b.exitCode()).isEqualTo(7);
        assertThat(b.out()).contains("Step 2/2 : RUN echo going && exit 7", "going");
        assertThat(b.stderr()).contains("The command '/bin/sh -c echo going && exit 7' returned a non-zero code: 7");

        CliResult noDir = build(wharf, "/nonexistent-context-dir");
        assertThat(noDir.exitCode()).isEqualTo(1);
        assertThat(noDir.stderr()).contains("unable to prepare context: path \"/nonexistent-context-dir\" not found");
    }

    @Test
    void ownDockerignore_andDockerfileFromStdin(WharfCli wharf, DockerCli docker) {
        Path ctx = BuildContexts.dir(Map.of(
                "build/app.Dockerfile", "FROM " + BUSYBOX + "\nCOPY . /c/\nRUN find /c -type f | sort\n",
                "build/app.Dockerfile.dockerignore", "*.tmp\n",
                ".dockerignore", "*.txt\n",
                "a.txt", "a", "b.tmp", "b"));

        CliResult b = build(wharf, "-f", ctx.resolve("build/app.Dockerfile").toString(), ctx.toString());

        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.lines()).contains("/c/a.txt").doesNotContain("/c/b.tmp");

        CliResult stdin = wharf.run(("FROM " + BUSYBOX + "\nRUN echo via-stdin\n").getBytes(), Duration.ofSeconds(60),
                "build", "-");
        assertThat(stdin.exitCode()).as(stdin.toString()).isZero();
        assertThat(stdin.lines()).contains("via-stdin");
    }

    @Test
    void cache_survivesARestart_andBuilderPruneEmptiesIt(WharfCli wharf, DockerCli docker, WharfdProcess wharfd) {
        String ref = "wharf-test/" + Names.unique("restart") + ":1";
        Path ctx = BuildContexts.dir(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nARG V\nRUN echo $V > /v\n",
                "f.txt", "x"));
        assertThat(build(wharf, "-t", ref, "--build-arg", "V=old", ctx.toString()).exitCode()).isZero();
        String old = docker.ok("image", "inspect", "--format", "{{.Id}}", ref).out();
        assertThat(build(wharf, "-t", ref, "--build-arg", "V=new", ctx.toString()).exitCode()).isZero();

        wharfd.restart();

        CliResult again = build(wharf, "-t", ref, "--build-arg", "V=new", ctx.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out().split(" ---> Using cache", -1)).as("ARG and RUN from the cache").hasSize(3);

        CliResult prune = wharf.run("builder", "prune", "-f", "--all");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(prune.out()).contains("Deleted build cache objects:", old.substring(7), "Total reclaimed space:");
        assertThat(docker.run("image", "inspect", old).exitCode()).isNotZero();
        CliResult fresh = build(wharf, "-t", ref, "--build-arg", "V=new", ctx.toString());
        assertThat(fresh.out()).doesNotContain("Using cache");
        assertThat(docker.ok("run", "--rm", ref, "cat", "/v").out()).isEqualTo("new");
        docker.ok("rmi", ref);
    }
}
