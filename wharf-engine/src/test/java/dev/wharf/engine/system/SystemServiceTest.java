package dev.wharf.engine.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.engine.container.TestEngine;
import dev.wharf.engine.event.EventService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.LayerTars;
import dev.wharf.model.system.VersionResponse;
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
 * {@code /version} and {@code /info} over the real container and image services (fake runtime):
 * the fields the docker CLI, docker-py and Testcontainers read, with the counts of what the
 * daemon holds. No root.
 */
class SystemServiceTest {

    @TempDir
    Path dir;
    private TestEngine engine;
    private SystemService system;

    @BeforeEach
    void setUp() throws Exception {
        engine = TestEngine.withRealImages(dir);
        ImageService images = engine.imageStore().images;
        images.importImage(new ByteArrayInputStream(LayerTars.of(Map.of("bin/sh", "#!"))), "busybox", null,
                List.of("CMD [\"sh\"]"), null, m -> { });
        system = new SystemService(engine.containers(), images, dir.resolve("data"), "ABCD:EFGH", engine.events());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void version_namesTheEngine_itsApiRange_andTheHost() throws Exception {
        VersionResponse v = system.version();
        assertThat(v.version()).isEqualTo(SystemService.ENGINE_VERSION);
        assertThat(v.apiVersion()).isEqualTo("1.44");
        assertThat(v.minApiVersion()).isEqualTo("1.24");
        assertThat(v.os()).isEqualTo("linux");
        assertThat(v.arch()).isIn("amd64", "arm64");
        assertThat(v.kernelVersion()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        assertThat(v.platform()).containsEntry("Name", "Wharf Engine");
        assertThat(v.components()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("Engine");
            assertThat(c.version()).isEqualTo(v.version());
            assertThat(c.details()).containsEntry("ApiVersion", "1.44").containsEntry("MinAPIVersion", "1.24")
                    .containsEntry("Os", "linux").containsEntry("Arch", v.arch())
                    .containsEntry("KernelVersion", v.kernelVersion());
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void info_countsContainersByState_andImages_andDescribesTheDaemon() throws Exception {
        engine.run("running");
        engine.run("paused");
        engine.containers().pause("paused");
        engine.create("created", "{'Image':'busybox'}");
        int before = (int) system.info().get("NEventsListener"); // the fixtures' own subscriptions
        try (EventService.Subscription listener = engine.events().subscribe()) {
            Map<String, Object> info = system.info();
            assertThat(info).containsEntry("ID", "ABCD:EFGH")
                    .containsEntry("Containers", 3)
                    .containsEntry("ContainersRunning", 1)
                    .containsEntry("ContainersPaused", 1)
                    .containsEntry("ContainersStopped", 1)
                    .containsEntry("Images", 1)
                    .containsEntry("Driver", "overlay2")
                    .containsEntry("DockerRootDir", dir.resolve("data").toString())
                    .containsEntry("ServerVersion", SystemService.ENGINE_VERSION)
                    .containsEntry("OSType", "linux")
                    .containsEntry("LoggingDriver", "json-file")
                    .containsEntry("CgroupDriver", "cgroupfs")
                    .containsEntry("DefaultRuntime", "runc")
                    .containsEntry("IndexServerAddress", "https://index.docker.io/v1/")
                    .containsEntry("NCPU", Runtime.getRuntime().availableProcessors());
            assertThat((int) info.get("NEventsListener")).isEqualTo(before + 1);
            assertThat(info.get("CgroupVersion")).isIn("1", "2");
            assertThat((long) info.get("MemTotal")).isPositive();
            assertThat((Map<String, Object>) info.get("Plugins")).containsEntry("Volume", List.of("local"))
                    .containsEntry("Network", List.of("bridge", "host", "null"));
            assertThat((Map<String, Object>) info.get("Swarm")).containsEntry("LocalNodeState", "inactive");
            assertThat((Map<String, Object>) info.get("RegistryConfig")).containsKeys("IndexConfigs",
                    "InsecureRegistryCIDRs", "Mirrors");
            assertThat((List<List<String>>) info.get("DriverStatus")).contains(List.of("Supports d_type", "true"));
            assertThat(info.get("Warnings")).isInstanceOf(List.class);
        }
        assertThat(system.info()).containsEntry("NEventsListener", before);
    }

    @Test
    void info_ofAnEmptyDaemon_hasZeroCounts() throws Exception {
        Map<String, Object> info = new SystemService(engine.containers(), engine.imageStore().images,
                dir.resolve("data"), "X", engine.events()).info();
        assertThat(info).containsEntry("Containers", 0).containsEntry("ContainersRunning", 0)
                .containsEntry("ContainersPaused", 0).containsEntry("ContainersStopped", 0)
                .containsEntry("Images", 1);
    }
}
