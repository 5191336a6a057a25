package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.oci.image.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitConfigTest {

    private static ContainerConfig config(List<String> env, List<String> cmd, List<String> entrypoint, String user,
            Map<String, String> labels) {
        return new ContainerConfig("", "", user, false, false, false, null, false, false, false, env, cmd, "", null,
                "", entrypoint, labels, null, null, null);
    }

    private static final ContainerConfig CONTAINER = config(List.of("PATH=/bin", "A=0"), List.of("top"),
            List.of("/init"), "app", Map.of("old", "1"));

    @Test
    void noBody_keepsTheContainersConfig() {
        ImageConfig.RunConfig r = CommitConfig.merge(null, CONTAINER);
        assertThat(r.env()).containsExactly("PATH=/bin", "A=0");
        assertThat(r.cmd()).containsExactly("top");
        assertThat(r.entrypoint()).containsExactly("/init");
        assertThat(r.user()).isEqualTo("app");
        assertThat(r.labels()).containsExactly(Map.entry("old", "1"));
    }

    @Test
    void body_winsWhereSet_andAddsToEnvAndLabels() {
        ImageConfig.RunConfig r = CommitConfig.merge(config(List.of("A=1"), List.of("sh"), null, "",
                Map.of("new", "2")), CONTAINER);
        assertThat(r.env()).containsExactly("A=1", "PATH=/bin");
        assertThat(r.cmd()).containsExactly("sh");
        assertThat(r.entrypoint()).as("no entrypoint in the body: the container's stays").containsExactly("/init");
        assertThat(r.user()).isEqualTo("app");
        assertThat(r.labels()).containsEntry("old", "1").containsEntry("new", "2");
    }

    @Test
    void bodyEntrypoint_replacesBoth() {
        ImageConfig.RunConfig r = CommitConfig.merge(config(null, null, List.of("/other"), "", null), CONTAINER);
        assertThat(r.entrypoint()).containsExactly("/other");
        assertThat(r.cmd()).isNull();
    }
}
