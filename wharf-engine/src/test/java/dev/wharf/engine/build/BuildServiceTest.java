package dev.wharf.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.engine.container.TestEngine;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.ImageStoreFixture;
import dev.wharf.engine.image.LayerTars;
import dev.wharf.builder.dispatch.BuildOutput;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.store.table.BuildCacheTable;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds over the real image and container services (fake runtime): Dockerfiles without RUN, so
 * no process runs; the image a build makes, its output, the cache on a rebuild, Docker's errors
 * for a bad context or Dockerfile, the clean-up after a crash and {@code builder prune}. No root.
 */
class BuildServiceTest {

    @TempDir
    Path dir;
    private TestEngine engine;
    private ImageStoreFixture store;
    private ImageService images;
    private BuildService builds;

    @BeforeEach
    void setUp() throws Exception {
        engine = TestEngine.withRealImages(dir);
        store = engine.imageStore();
        images = store.images;
        images.importImage(new ByteArrayInputStream(LayerTars.of(Map.of("etc/os-release", "ID=base\n"))), "base",
                null, List.of("CMD [\"sh\"]", "ENV PATH=/usr/bin:/bin"), null, m -> { });
        builds = newService();
    }

    private BuildService newService() throws Exception {
        return new BuildService(images, store.imageTable, store.blobs, store.layers, new BuildCacheTable(store.db),
                engine.containers(), engine.containers().files(), BaseImageResolver.local(images), dir.resolve("data"),
                engine.execRoot());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static BuildOptions options(String dockerfile, List<String> tags, Map<String, String> args) {
        return new BuildOptions(dockerfile, tags, args, null, Map.of(), false, false, true, false, List.of(), null,
                null, Map.of(), List.of(), null, Map.of(), Set.of());
    }

    /** Runs a build of {@code files} (the context, with its Dockerfile); returns the result and the output. */
    private BuildService.Result build(BuildOptions o, Map<String, String> files, List<String> output) throws Exception {
        try (BuildService.Prepared p = builds.prepare(o, new ByteArrayInputStream(LayerTars.of(files)))) {
            return p.run(new BuildOutput() {
                @Override
                public void stream(String text) {
                    output.add(text);
                }
            });
        }
    }

    /**
     * A Dockerfile whose one file step runs on {@code scratch}: the builder writes it into a bare
     * directory. A file step on top of an image's layers mounts an overlay, which needs root
     * ({@code Scratchpad} calls {@code Mounts.overlay} directly, with no seam to fake it). The
     * files are given to the user running the test ({@code --chown}), which needs no root either.
     */
    private String dockerfile() {
        return """
                FROM scratch
                ARG VERSION=1
                LABEL version=$VERSION
                ENV GREETING=hello
                COPY --chown=%s hello.txt conf/ /app/
                CMD ["/app/hello.txt"]
                """.formatted(me());
    }

    /** {@code uid:gid} of the user running the test. */
    private String me() {
        try {
            return Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void prepare_andRun_buildTheImage_tagIt_andStreamDockersStepLines() throws Exception {
        List<String> out = new ArrayList<>();
        BuildService.Result r = build(options(null, List.of("app:1"), Map.of("VERSION", "2")),
                Map.of("Dockerfile", dockerfile(), "hello.txt", "hi there\n", "conf/app.conf", "x=1\n"), out);

        assertThat(r.imageId().toString()).matches("sha256:[0-9a-f]{64}");
        assertThat(r.tags()).containsExactly("app:1");
        String text = String.join("", out);
        assertThat(text).contains("Step 1/6 : FROM scratch", "Step 6/6 : CMD [\"/app/hello.txt\"]",
                "Successfully built " + r.imageId().shortHex(), "Successfully tagged app:1");
        // as moby's classic builder: the step line, then its newline, then the step's result (none for scratch)
        assertThat(out.subList(0, 5)).containsExactly("Step 1/6 : FROM scratch", "\n", " ---> \n",
                "Step 2/6 : ARG VERSION=1", "\n");

        ImageInspect i = images.inspect("app:1", false);
        assertThat(i.id()).isEqualTo(r.imageId().toString());
        assertThat(i.config().labels()).containsEntry("version", "2");
        assertThat(i.config().env()).contains("GREETING=hello");
        assertThat(i.config().cmd()).containsExactly("/app/hello.txt");
        assertThat(i.rootFs().layers()).hasSize(1);
        List<String> chains = images.resolve(r.imageId()).chainIds();
        Path top = store.layers.diffDir(chains.getLast());
        assertThat(top.resolve("app/hello.txt")).hasContent("hi there");
        assertThat(top.resolve("app/app.conf")).hasContent("x=1");
        assertThat(Files.getAttribute(top.resolve("app/hello.txt"), "unix:uid") + ":"
                + Files.getAttribute(top.resolve("app/hello.txt"), "unix:gid")).isEqualTo(me());
        assertThat(buildTmpDirs()).as("the build's scratch space is gone").isEmpty();
    }

    @Test
    void run_again_withTheSameContext_usesTheCache() throws Exception {
        Map<String, String> ctx = Map.of("Dockerfile", dockerfile(), "hello.txt", "v1", "conf/a", "a");
        BuildService.Result first = build(options(null, List.of("cached:1"), Map.of()), ctx, new ArrayList<>());
        List<String> out = new ArrayList<>();
        BuildService.Result second = build(options(null, List.of("cached:1"), Map.of()), ctx, out);
        assertThat(second.imageId()).isEqualTo(first.imageId());
        assertThat(String.join("", out)).contains("Using cache");

        BuildService.Result changed = build(options(null, List.of("cached:1"), Map.of()),
                Map.of("Dockerfile", dockerfile(), "hello.txt", "v2", "conf/a", "a"), new ArrayList<>());
        assertThat(changed.imageId()).isNotEqualTo(first.imageId());
        assertThat(images.tagsOf(changed.imageId())).containsExactly("cached:1");
    }

    @Test
    void prepare_refusesABadDockerfile_orContext_beforeAnyOutput_andLeavesNothing() throws Exception {
        assertThatThrownBy(() -> builds.prepare(options(null, List.of(), Map.of()),
                new ByteArrayInputStream(LayerTars.of(Map.of("other", "x")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Cannot locate specified Dockerfile: Dockerfile");
        assertThatThrownBy(() -> builds.prepare(options("sub/Dockerfile.dev", List.of(), Map.of()),
                new ByteArrayInputStream(LayerTars.of(Map.of("Dockerfile", "FROM base\n")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Cannot locate specified Dockerfile: sub/Dockerfile.dev");
        assertThatThrownBy(() -> builds.prepare(options(null, List.of(), Map.of()),
                new ByteArrayInputStream(LayerTars.of(Map.of("Dockerfile", "  \n")))))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("the Dockerfile (Dockerfile) cannot be empty");
        assertThatThrownBy(() -> builds.prepare(options(null, List.of(), Map.of()),
                new ByteArrayInputStream(LayerTars.of(Map.of("Dockerfile", "LABEL a=b\nFROM base\n")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("dockerfile parse error on line 1: no build stage in current context");
        assertThatThrownBy(() -> builds.prepare(options("../Dockerfile", List.of(), Map.of()),
                new ByteArrayInputStream(LayerTars.of(Map.of("Dockerfile", "FROM base\n")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Forbidden path outside the build context: ../Dockerfile ()");
        // a body that is no tar is the Dockerfile itself, as Docker takes it
        assertThatThrownBy(() -> builds.prepare(options(null, List.of(), Map.of()),
                new ByteArrayInputStream("this is not a tar archive at all, just text".repeat(20).getBytes())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("dockerfile parse error on line 1: unknown instruction: ");
        assertThat(buildTmpDirs()).isEmpty();
        assertThat(images.count()).isEqualTo(1);
    }

    @Test
    void run_ofAMissingBaseImage_failsWithDockersPullError() throws Exception {
        assertThatThrownBy(() -> build(options(null, List.of("x:1"), Map.of()),
                Map.of("Dockerfile", "FROM nothere:1\nLABEL a=b\n"), new ArrayList<>()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("pull access denied for nothere, repository does not exist or may require 'docker login'");
        assertThat(images.findId("x:1")).isEmpty();
    }

    @Test
    void prepare_lowercaseDockerfile_isFound_andDockerignoreDropsTheDockerfileAndItself() throws Exception {
        // the client applies .dockerignore to the context; the daemon only drops these two, as moby does
        BuildService.Result r = build(options(null, List.of("ign:1"), Map.of()), Map.of(
                "dockerfile", "FROM scratch\nCOPY --chown=" + me() + " . /ctx/\n",
                ".dockerignore", "dockerfile\n.dockerignore\n",
                "kept.txt", "ship"), new ArrayList<>());
        Path top = store.layers.diffDir(images.resolve(r.imageId()).chainIds().getLast());
        assertThat(top.resolve("ctx/kept.txt")).hasContent("ship");
        assertThat(top.resolve("ctx/dockerfile")).doesNotExist();
        assertThat(top.resolve("ctx/.dockerignore")).doesNotExist();
    }

    @Test
    void prepare_ofABodyThatIsADockerfile_buildsWithAnEmptyContext() throws Exception {
        List<String> out = new ArrayList<>();
        BuildService.Result r;
        try (BuildService.Prepared p = builds.prepare(options(null, List.of("plain:1"), Map.of()),
                new ByteArrayInputStream("FROM base\nLABEL plain=yes\n".getBytes()))) {
            r = p.run(out::add);
        }
        assertThat(images.inspect("plain:1", false).config().labels()).containsEntry("plain", "yes");
        assertThat(r.tags()).containsExactly("plain:1");
        assertThat(String.join("", out)).contains("Step 2/2 : LABEL plain=yes");
    }

    @Test
    void cleanup_removesWhatACrashedBuildLeft_andKeptContexts() throws Exception {
        Path buildRoot = dir.resolve("data/build");
        Path leftover = Files.createDirectories(buildRoot.resolve("tmp-123/work/layer"));
        Files.writeString(leftover.resolve("f"), "half-made");
        Path kept = Files.createDirectories(buildRoot.resolve("contexts/abc/root"));
        Path cacheMount = Files.createDirectories(buildRoot.resolve("cache/somecache"));

        newService().cleanup();
        assertThat(buildRoot.resolve("tmp-123")).doesNotExist();
        assertThat(kept).doesNotExist();
        assertThat(cacheMount).as("RUN --mount=type=cache directories are kept").isDirectory();
    }

    @Test
    void prune_removesBuildStepImagesNothingUses_andKeepsTaggedImagesAndTheirParents() throws Exception {
        BuildService.Result kept = build(options(null, List.of("kept:1"), Map.of()),
                Map.of("Dockerfile", "FROM base\nLABEL a=1\nENV B=2\n"), new ArrayList<>());
        BuildService.Result dropped = build(options(null, List.of("dropped:1"), Map.of()),
                Map.of("Dockerfile", "FROM base\nLABEL other=1\nENV C=3\n"), new ArrayList<>());
        images.remove("dropped:1", false, true); // untagged and deleted, its step images stay (no prune)
        int before = images.count();

        BuildService.PruneResult r = builds.prune(false);
        assertThat(r.deleted()).isNotEmpty().doesNotContain(kept.imageId());
        assertThat(images.count()).isEqualTo(before - r.deleted().size());
        assertThat(images.findId("kept:1")).contains(kept.imageId());
        assertThat(images.findId("base")).isPresent();
        // the kept image still builds from cache
        List<String> out = new ArrayList<>();
        assertThat(build(options(null, List.of("kept:1"), Map.of()),
                Map.of("Dockerfile", "FROM base\nLABEL a=1\nENV B=2\n"), out).imageId()).isEqualTo(kept.imageId());
        assertThat(String.join("", out)).contains("Using cache");
        assertThat(dropped.imageId()).isNotEqualTo(kept.imageId());

        assertThat(builds.prune(false).deleted()).isEmpty();
        BuildService.PruneResult all = builds.prune(true);
        assertThat(all.deleted()).isEmpty();
        List<String> rebuilt = new ArrayList<>();
        build(options(null, List.of("kept:1"), Map.of()), Map.of("Dockerfile", "FROM base\nLABEL a=1\nENV B=2\n"),
                rebuilt);
        assertThat(String.join("", rebuilt)).as("prune --all forgets the cache").doesNotContain("Using cache");
    }

    private List<Path> buildTmpDirs() throws Exception {
        Path root = dir.resolve("data/build");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tmp-")).toList();
        }
    }
}
