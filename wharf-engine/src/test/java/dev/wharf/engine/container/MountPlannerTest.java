package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountPlannerTest {

    private final MountPlanner planner = new MountPlanner(null);

    @TempDir
    Path tmp;

    @Test
    void dashV_absoluteSourceIsABind_otherwiseANamedVolume() {
        ContainerMount bind = planner.parseBind(tmp + ":/data:ro,rshared");
        assertThat(bind.type()).isEqualTo("bind");
        assertThat(bind.rw()).isFalse();
        assertThat(bind.propagation()).isEqualTo("rshared");
        assertThat(bind.mode()).isEqualTo("ro,rshared");

        ContainerMount vol = planner.parseBind("pgdata:/var/lib/postgresql/data:nocopy");
        assertThat(vol.type()).isEqualTo("volume");
        assertThat(vol.name()).isEqualTo("pgdata");
        assertThat(vol.noCopy()).isTrue();
        assertThat(vol.rw()).isTrue();
    }

    @Test
    void dashV_missingBindSourceIsCreated() {
        Path missing = tmp.resolve("a/b");
        planner.parseBind(missing + ":/x");
        assertThat(missing).isDirectory();
    }

    @Test
    void dashV_badSpecs_areA400() {
        for (String spec : List.of("/x", "name:relative", "bad/name:/x", "v:/x:rw,bogus", "a:b:c:d")) {
            assertThatThrownBy(() -> planner.parseBind(spec)).as(spec).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void mountFlag_bindRefusesAMissingSource_volumeAndTmpfsOptionsAreKept() {
        assertThatThrownBy(() -> planner.parseMount(HostOptions.mount(Map.of("Type", "bind", "Source",
                tmp.resolve("nope").toString(),
                "Target", "/x")))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("bind source path does not exist");
        ContainerMount v = planner.parseMount(HostOptions.mount(Map.of("Type", "volume", "Source", "v1", "Target", "/d",
                "ReadOnly", true,
                "VolumeOptions", Map.of("NoCopy", true, "Subpath", "sub/dir"))));
        assertThat(v.rw()).isFalse();
        assertThat(v.noCopy()).isTrue();
        assertThat(v.subpath()).isEqualTo("sub/dir");
        ContainerMount t = planner.parseMount(HostOptions.mount(Map.of("Type", "tmpfs", "Target", "/t",
                "TmpfsOptions", Map.of("SizeBytes", 1048576, "Mode", 0700))));
        assertThat(t.tmpfsOptions()).containsExactly("size=1048576", "mode=700");
        assertThatThrownBy(() -> planner.parseMount(HostOptions.mount(Map.of("Type", "volume", "Source", "v",
                "Target", "/d",
                "VolumeOptions", Map.of("Subpath", "../../etc"))))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> planner.parseMount(HostOptions.mount(Map.of("Type", "nfs", "Target", "/d"))))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void duplicateDestinations_areRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> planner.plan(List.of("aa:/x", "bb:/x"), null, null, null, null, ref -> List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Duplicate mount point: /x");
    }

    @Test
    void volumeDriver_failsOnlyWhenAVolumeWouldBeMadeWithIt() {
        // a host bind, a tmpfs and no volume: the driver is never looked up (Docker accepts the create)
        assertThat(planner.plan(List.of(tmp + ":/x"), List.of(HostOptions.mount(Map.of("Type", "tmpfs", "Target", "/t"))), null, null,
                "flocker", ref -> List.of())).extracting(ContainerMount::destination).containsExactly("/x", "/t");
        String notFound = "error looking up volume plugin flocker: plugin \"flocker\" not found";
        assertThatThrownBy(() -> planner.plan(List.of("named:/x"), null, null, null, "flocker", ref -> List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessage(notFound);
        assertThatThrownBy(() -> planner.plan(null, null, null, Map.of("/data", Map.of()), "flocker",
                ref -> List.of())).isInstanceOf(InvalidArgumentException.class).hasMessage(notFound);
    }
}
