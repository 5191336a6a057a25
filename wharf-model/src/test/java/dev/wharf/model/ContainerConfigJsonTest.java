package dev.wharf.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import org.junit.jupiter.api.Test;

class ContainerConfigJsonTest {

    @Test
    void unknownHostConfigFields_areKeptAndEchoed() throws Exception {
        String in = "{\"NetworkMode\":\"none\",\"AutoRemove\":true,\"MemorySwappiness\":-1,\"CapAdd\":[\"X\"]}";
        HostConfig hc = Json.mapper().readValue(in, HostConfig.class);
        assertThat(hc.networkMode()).isEqualTo("none");
        assertThat(hc.autoRemove()).isTrue();
        String out = Json.mapper().writeValueAsString(hc);
        assertThat(out).contains("\"MemorySwappiness\":-1").contains("\"CapAdd\":[\"X\"]")
                .contains("\"NetworkMode\":\"none\"").doesNotContain("\"other\"");
    }

    @Test
    void cmdGivenAsString_becomesOneElement() throws Exception {
        ContainerConfig c = Json.mapper().readValue("{\"Cmd\":\"echo hi\",\"Entrypoint\":null}",
                ContainerConfig.class);
        assertThat(c.cmd()).containsExactly("echo hi");
        assertThat(c.entrypoint()).isNull();
    }

    @Test
    void imageDefaults_fillOnlyWhatTheRequestLeftEmpty() {
        ContainerConfig req = ContainerConfig.empty();
        ContainerConfig merged = req.mergeImageDefaults(java.util.List.of("PATH=/bin", "A=1"),
                java.util.List.of("sh"), null, "/w", "", null, null, null, null);
        assertThat(merged.cmd()).containsExactly("sh");
        assertThat(merged.workingDir()).isEqualTo("/w");
        assertThat(merged.env()).containsExactly("PATH=/bin", "A=1");
    }
}
