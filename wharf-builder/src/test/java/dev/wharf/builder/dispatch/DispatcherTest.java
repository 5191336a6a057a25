package dev.wharf.builder.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private final FakeBackend backend = new FakeBackend();
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> aux = new ArrayList<>();

    private Dispatcher.Result build(String dockerfile) {
        return build(dockerfile, Map.of(), null, false);
    }

    private Dispatcher.Result build(String dockerfile, Map<String, String> args, String target, boolean noCache) {
        out.clear();
        BuildRequest req = new BuildRequest(dockerfile, List.of("app:1"), args, target, Map.of(), noCache, false,
                List.of(), null);
        return new Dispatcher(backend).build(req, new BuildOutput() {
            @Override
            public void stream(String text) {
                out.add(text);
            }

            @Override
            public void aux(String id) {
                aux.add(id);
            }
        });
    }

    private String text() {
        return String.join("", out);
    }

    @Test
    void simpleBuild_printsDockersClassicOutput() {
        var r = build("FROM busybox\nENV A=1\nRUN echo $A\nCMD [\"sh\"]");
        assertThat(out.subList(0, 3)).containsExactly("Step 1/4 : FROM busybox", "\n", " ---> bbbbbbbbbbbb\n");
        assertThat(text()).contains("Step 3/4 : RUN echo $A\n ---> Running in c0ffee000000\noutput of /bin/sh -c echo $A\n"
                + "Removing intermediate container c0ffee000000\n ---> ");
        assertThat(out.getLast()).isEqualTo("Successfully tagged app:1\n");
        assertThat(out.get(out.size() - 2)).isEqualTo("Successfully built " + r.imageId().substring(7, 19) + "\n");
        assertThat(aux).containsExactly(r.imageId());
        assertThat(backend.runs.getFirst().env()).containsExactly("PATH=/bin", "A=1");
        assertThat(backend.history(r.imageId())).containsExactly("/bin/sh -c #(nop)  ENV A=1", "/bin/sh -c echo $A",
                "/bin/sh -c #(nop)  CMD [\"sh\"]");
        assertThat(backend.images.get(r.imageId()).config().cmd()).containsExactly("sh");
    }

    @Test
    void rebuild_usesTheCache_andAChangedArgOrFileMisses() {
        backend.context.put("a.txt", "one".getBytes(StandardCharsets.UTF_8));
        String df = "FROM busybox\nARG V=1\nCOPY a.txt /a.txt\nRUN echo $V";
        var first = build(df);
        assertThat(text()).doesNotContain("Using cache");
        var second = build(df);
        assertThat(second.imageId()).isEqualTo(first.imageId());
        assertThat(text().split("Using cache", -1)).hasSize(4);
        assertThat(backend.runs).hasSize(1);

        var changedArg = build(df, Map.of("V", "2"), null, false);
        assertThat(changedArg.imageId()).isNotEqualTo(first.imageId());
        assertThat(backend.runs).hasSize(2);
        assertThat(backend.runs.getLast().env()).contains("V=2");

        backend.context.put("a.txt", "two".getBytes(StandardCharsets.UTF_8));
        build(df);
        assertThat(text().split("Using cache", -1)).as(text()).hasSize(2); // only ARG
        assertThat(backend.copies).hasSize(3);

        build(df, Map.of(), null, true);
        assertThat(text()).doesNotContain("Using cache");
    }

    @Test
    void metaArgs_chooseTheBaseImage_andCountAsSteps() {
        build("ARG BASE=busybox\nFROM $BASE\nARG BASE\nRUN echo $BASE");
        assertThat(out.subList(0, 4)).containsExactly("Step 1/4 : ARG BASE=busybox", "\n", "Step 2/4 : FROM $BASE", "\n");
        assertThat(backend.runs.getFirst().env()).contains("BASE=busybox");
    }

    @Test
    void multiStage_buildsOnlyWhatTheTargetNeeds() {
        String df = "FROM busybox AS unused\nRUN echo unused\n"
                + "FROM busybox AS build\nRUN echo build > /out\n"
                + "FROM busybox\nCOPY --from=build /out /out\nCOPY --from=0 /x /x";
        build(df);
        // independent stages build concurrently: both ran, in either order
        assertThat(backend.runs).extracting(r -> r.argv().getLast())
                .containsExactlyInAnyOrder("echo unused", "echo build > /out");
        build(df, Map.of(), "build", true);
        assertThat(backend.runs.subList(2, backend.runs.size())).extracting(r -> r.argv().getLast())
                .containsExactly("echo build > /out");
        assertThat(text()).contains("Step 1/2 : FROM busybox AS build");
        assertThatThrownBy(() -> build(df, Map.of(), "nope", false))
                .hasMessage("failed to reach build target nope in Dockerfile");
    }

    @Test
    void independentStages_runAtTheSameTime_outputStaysInOrder() {
        backend.runGate = new java.util.concurrent.CountDownLatch(2);
        build("FROM busybox AS a\nRUN wait a\nFROM busybox AS b\nRUN wait b\n"
                + "FROM busybox\nCOPY --from=a /a /a\nCOPY --from=b /b /b");
        String t = text();
        assertThat(t.indexOf("Step 2/7 : RUN wait a")).isLessThan(t.indexOf("Step 3/7 : FROM busybox AS b"));
        assertThat(t.indexOf("output of /bin/sh -c wait a")).isLessThan(t.indexOf("Step 3/7"));
        assertThat(t).contains("Step 7/7 : COPY --from=b /b /b");
    }

    @Test
    void failingStep_isTheError() {
        assertThatThrownBy(() -> build("FROM busybox\nRUN exit 3\nRUN echo never"))
                .isInstanceOf(StepFailedException.class)
                .hasMessage("The command '/bin/sh -c exit 3' returned a non-zero code: 3")
                .satisfies(e -> assertThat(((StepFailedException) e).code()).isEqualTo(3));
        assertThat(text()).contains("Step 2/3 : RUN exit 3").doesNotContain("Step 3/3");
    }

    @Test
    void aFailedStage_endsTheOutput_theStagesAfterItPrintNothing() {
        assertThatThrownBy(() -> build("FROM busybox AS base\nRUN exit 3\nFROM busybox AS other\nRUN echo other\n"
                + "FROM base\nCOPY --from=other /x /x"))
                .hasMessage("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(text()).contains("Step 2/6 : RUN exit 3").doesNotContain("Step 3/6").doesNotContain("Step 5/6");
    }

    @Test
    void missingBase_andNoFrom_areErrors() {
        assertThatThrownBy(() -> build("FROM nothere:1")).hasMessageContaining("pull access denied for nothere:1");
        assertThatThrownBy(() -> build("RUN x")).hasMessageContaining("no build stage in current context");
        assertThatThrownBy(() -> build("# just a comment\n")).hasMessageContaining("cannot be empty");
    }

    @Test
    void workdirUserShellAndEntrypoint() {
        backend.context.put("x.txt", new byte[0]);
        var r = build("FROM busybox\nWORKDIR /app\nWORKDIR sub\nUSER app\nSHELL [\"/bin/ash\", \"-eo\"]\n"
                + "RUN pwd\nENTRYPOINT echo hi\nCOPY x.txt rel/\n");
        var run = backend.runs.getFirst();
        assertThat(run.workdir()).isEqualTo("/app/sub");
        assertThat(run.user()).isEqualTo("app");
        assertThat(run.argv()).containsExactly("/bin/ash", "-eo", "pwd");
        var cfg = backend.images.get(r.imageId()).config();
        assertThat(cfg.entrypoint()).containsExactly("/bin/ash", "-eo", "echo hi");
        assertThat(cfg.cmd()).isNull(); // ENTRYPOINT resets an inherited CMD
        assertThat(backend.copies.getFirst().dest()).isEqualTo("/app/sub/rel/");
    }

    @Test
    void heredocs_shapeTheCommand() {
        backend.context.clear();
        build("FROM busybox\nRUN <<EOF\necho one\necho two\nEOF\nRUN <<EOF\n#!/bin/sh\necho script\nEOF\n"
                + "RUN cat <<A > /f\nhello\nA\nCOPY <<EOF /greeting\nhi $HOSTNAME\nEOF");
        assertThat(backend.runs.get(0).argv()).containsExactly("/bin/sh", "-c", "echo one\necho two\n");
        assertThat(backend.runs.get(1).argv()).containsExactly("/dev/pipes/EOF");
        assertThat(backend.runs.get(1).mounts()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("inline");
            assertThat(m.content()).isEqualTo("#!/bin/sh\necho script\n");
        });
        assertThat(backend.runs.get(2).argv()).containsExactly("/bin/sh", "-c", "cat <<A > /f\nhello\nA");
    }

    @Test
    void metadataInstructions_setTheConfig() {
        var r = build("FROM busybox\nLABEL a=b \"c d\"=e\nEXPOSE 80 53/udp 8000-8001\nVOLUME [\"/data\"]\n"
                + "STOPSIGNAL SIGINT\nHEALTHCHECK --interval=5s --retries=2 CMD true\nONBUILD RUN echo child\n"
                + "MAINTAINER me");
        var st = backend.images.get(r.imageId());
        assertThat(st.config().labels()).containsEntry("a", "b").containsEntry("c d", "e");
        assertThat(st.config().exposedPorts()).containsOnlyKeys("80/tcp", "53/udp", "8000/tcp", "8001/tcp");
        assertThat(st.config().volumes()).containsOnlyKeys("/data");
        assertThat(st.config().stopSignal()).isEqualTo("SIGINT");
        assertThat(st.config().healthcheck()).isEqualTo(Map.of("Test", List.of("CMD-SHELL", "true"),
                "Interval", 5_000_000_000L, "Retries", 2));
        assertThat(st.config().onBuild()).containsExactly("RUN echo child");
        assertThat(st.author()).isEqualTo("me");
        // a child build runs the trigger
        backend.tag(r.imageId(), List.of("parent:1"));
        var child = build("FROM parent:1\nRUN echo own");
        assertThat(text()).contains("Step 1/2 : FROM parent:1\n# Executing 1 build trigger\n")
                .as("the FROM step's image is the one its trigger made, printed after it")
                .containsPattern("Removing intermediate container \\w+\n ---> \\w+\nStep 2/2 : RUN echo own");
        assertThat(backend.runs).extracting(x -> x.argv().getLast()).containsExactly("echo child", "echo own");
        assertThat(backend.images.get(child.imageId()).config().onBuild()).isNull();
    }

    @Test
    void unusedBuildArgs_areAWarning_andProxyArgsReachRun() {
        build("FROM busybox\nRUN env", Map.of("UNUSED", "1", "http_proxy", "http://127.0.0.1:3128"), null, false);
        assertThat(text()).contains("[Warning] One or more build-args [UNUSED] were not consumed\n");
        assertThat(backend.runs.getFirst().env()).contains("http_proxy=http://127.0.0.1:3128");
    }

    @Test
    void runMounts_areResolved() {
        backend.context.put("src", new byte[0]);
        build("FROM busybox AS s\nRUN echo s\nFROM busybox\n"
                + "RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok "
                + "--mount=type=bind,from=s,source=/etc,target=/mnt --mount=type=tmpfs,target=/t true");
        var mounts = backend.runs.getLast().mounts();
        assertThat(mounts).extracting(BuildBackend.Mount::type).containsExactly("cache", "secret", "bind", "tmpfs");
        assertThat(mounts.get(0).id()).isEqualTo("/root/.cache");
        assertThat(mounts.get(1).target()).isEqualTo("/run/secrets/tok");
        assertThat(mounts.get(2).fromImageId()).isNotNull();
    }

    @Test
    void metaArg_canNameAStage() {
        build("ARG FROM_STAGE=builder\nFROM busybox AS builder\nRUN echo built\nFROM $FROM_STAGE\nRUN echo on-top");
        assertThat(backend.runs).extracting(r -> r.argv().getLast()).containsExactly("echo built", "echo on-top");
        assertThat(backend.resolved).containsOnly("busybox");
    }
}
