package dev.wharf.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.image.ImageConfig.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageChangesTest {

    @Test
    void importChanges_setTheRunConfig() {
        RunConfig c = ImageChanges.apply(null, List.of("CMD [\"echo\",\"x\"]", "ENTRYPOINT /bin/run", "ENV A=1 B=\"two words\"",
                "ENV C 3", "WORKDIR /app", "USER app", "LABEL team=blue", "EXPOSE 80 53/udp", "VOLUME /data",
                "STOPSIGNAL SIGINT"));
        assertThat(c.cmd()).containsExactly("echo", "x");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/bin/run");
        assertThat(c.env()).containsExactly("A=1", "B=two words", "C=3");
        assertThat(c.workingDir()).isEqualTo("/app");
        assertThat(c.user()).isEqualTo("app");
        assertThat(c.labels()).containsEntry("team", "blue");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "53/udp");
        assertThat(c.volumes()).containsOnlyKeys("/data");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
    }

    @Test
    void laterEnvReplacesEarlierValue_andUnknownInstructionIsA400() {
        RunConfig c = ImageChanges.apply(null, List.of("ENV A=1", "ENV A=2"));
        assertThat(c.env()).containsExactly("A=2");
        assertThatThrownBy(() -> ImageChanges.apply(null, List.of("RUN rm -rf /")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("RUN is not a valid change command");
    }
}
