package dev.wharf.base.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {

    @ParameterizedTest
    @CsvSource({
        "busybox, busybox:latest",
        "busybox:1.36, busybox:1.36",
        "docker.io/library/busybox, busybox:latest",
        "docker.io/wr/bb:t1, wr/bb:t1",
        "library/busybox:2, busybox:2",
        "127.0.0.1:5000/bb:1, 127.0.0.1:5000/bb:1",
        "127.0.0.1:5000/bb, 127.0.0.1:5000/bb:latest",
        "registry.example/team/app:v1.2-rc, registry.example/team/app:v1.2-rc"})
    void parse_normalisesToTheFamiliarForm(String in, String familiar) {
        assertThat(ImageRef.parse(in).toString()).isEqualTo(familiar);
    }

    @ParameterizedTest
    @CsvSource({"Busybox", "bad name", "x:", ":tag", "a//b", "busybox@sha256:abc"})
    void parse_refusesMalformedReferences(String in) {
        assertThatThrownBy(() -> ImageRef.parse(in)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("invalid");
    }
}
