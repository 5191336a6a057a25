package dev.wharf.engine.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.base.id.Digest;
import dev.wharf.engine.container.TestEngine;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.LayerTars;
import dev.wharf.model.image.ImageSummary;
import dev.wharf.model.system.DiskUsage;
import dev.wharf.model.volume.Volume;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker system df} over real images (layers shared between two), containers of the fake
 * runtime with files in their writable layer, and volumes: the figures must add up, as the CLI
 * derives "reclaimable" from them.
 */
class DiskUsageServiceTest {

    @TempDir
    Path dir;
    private TestEngine engine;
    private ImageService images;
    private DiskUsageService df;

    @BeforeEach
    void setUp() throws Exception {
        engine = TestEngine.withRealImages(dir);
        images = engine.imageStore().images;
        df = new DiskUsageService(images, engine.containers().files(), engine.volumes()::usage);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void usage_ofAnEmptyDaemon_isEmpty() throws Exception {
        DiskUsage u = df.usage();
        assertThat(u.layersSize()).isZero();
        assertThat(u.images()).isEmpty();
        assertThat(u.containers()).isEmpty();
        assertThat(u.volumes()).isEmpty();
        assertThat(u.buildCache()).isEmpty();
    }

    @Test
    void usage_countsEachLayerOnce_sharedSizePerImage_containersAndVolumes() throws Exception {
        Digest base = images.importImage(new ByteArrayInputStream(LayerTars.of(Map.of("base", "b".repeat(300)))),
                "base", null, List.of("CMD [\"sh\"]"), null, m -> { });
        Path diff = dir.resolve("diff.tar");
        Files.write(diff, LayerTars.of(Map.of("app", "a".repeat(700))));
        Digest app = images.commit(new ImageService.CommitRequest(base, diff, images.config(base).config(), null,
                null, "add app", "app", null));
        Digest lone = images.importImage(new ByteArrayInputStream(LayerTars.of(Map.of("x", "x"))), "lone", null,
                List.of("CMD [\"sh\"]"), null, m -> { });
        long baseLayer = images.layerSize(images.resolve(base).chainIds().get(0));
        long appLayer = images.layerSize(images.resolve(app).chainIds().get(1));
        long loneLayer = images.layerSize(images.resolve(lone).chainIds().get(0));

        String c = engine.create("web", "{'Image':'app'}");
        engine.containers().start(c);
        Path upper = dir.resolve("data/containers").resolve(c).resolve("upper");
        Files.createDirectories(upper);
        Files.write(upper.resolve("written"), new byte[1234]);
        engine.volumes().create("vol", null, null, null);
        Files.write(Path.of(engine.volumes().inspect("vol").mountpoint()).resolve("f"), new byte[55]);

        DiskUsage u = df.usage();
        assertThat(u.layersSize()).isEqualTo(baseLayer + appLayer + loneLayer);
        Map<Digest, ImageSummary> byId = new java.util.HashMap<>();
        u.images().forEach(s -> byId.put(Digest.parse(s.id()), s));
        assertThat(byId).containsOnlyKeys(base, app, lone);
        assertThat(byId.get(base).sharedSize()).isEqualTo(baseLayer);
        assertThat(byId.get(base).size()).isEqualTo(baseLayer);
        assertThat(byId.get(app).sharedSize()).isEqualTo(baseLayer);
        assertThat(byId.get(app).size()).isEqualTo(baseLayer + appLayer);
        assertThat(byId.get(app).containers()).isEqualTo(1);
        assertThat(byId.get(app).repoTags()).containsExactly("app:latest");
        assertThat(byId.get(lone).sharedSize()).isZero();
        assertThat(byId.get(lone).containers()).isZero();

        assertThat(u.containers()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(c);
            assertThat(s.sizeRw()).isEqualTo(1234);
            assertThat(s.sizeRootFs()).isEqualTo(1234 + baseLayer + appLayer);
        });
        assertThat(u.volumes()).singleElement().isInstanceOfSatisfying(Volume.class, v -> {
            assertThat(v.name()).isEqualTo("vol");
            assertThat(v.usageData()).isEqualTo(new Volume.UsageData(55, 0));
        });
    }

    @Test
    void aContainerRemovedWhileSizesAreTaken_isLeftOut_notAnError() throws Exception {
        images.importImage(new ByteArrayInputStream(LayerTars.of(Map.of("base", "b"))), "base", null,
                List.of("CMD [\"sh\"]"), null, m -> { });
        String kept = engine.create("kept", "{'Image':'base'}");
        String gone = engine.create("gone", "{'Image':'base'}");
        var listed = engine.containers().list(true, 0, dev.wharf.engine.common.Filters.NONE);
        engine.containers().remove(gone, false, false);

        assertThat(engine.containers().files().withSizes(listed)).extracting(s -> s.id()).containsExactly(kept);
    }
}
