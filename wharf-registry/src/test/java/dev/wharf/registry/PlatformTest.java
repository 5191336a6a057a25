package dev.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.image.Descriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformTest {

    private static Descriptor entry(String digestChar, String os, String arch, String variant) {
        return new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + digestChar.repeat(64), 10,
                null, null, new Descriptor.Platform(arch, os, null, variant));
    }

    private final List<Descriptor> index = List.of(
            entry("0", "unknown", "unknown", null),
            entry("1", "linux", "arm", "v6"),
            entry("2", "linux", "arm", "v7"),
            entry("3", "linux", "arm64", "v8"),
            entry("4", "linux", "amd64", null),
            entry("5", "windows", "amd64", null));

    @Test
    void default_isLinuxAmd64() {
        assertThat(Platform.parse(null)).isEqualTo(Platform.DEFAULT);
        assertThat(Platform.DEFAULT.choose(index).orElseThrow().digest()).endsWith("4".repeat(64));
    }

    @Test
    void variant_picksTheRightArm() {
        assertThat(Platform.parse("linux/arm/v6").choose(index).orElseThrow().digest()).endsWith("1".repeat(64));
        assertThat(Platform.parse("linux/arm").choose(index).orElseThrow().digest()).endsWith("2".repeat(64));
        assertThat(Platform.parse("linux/aarch64").choose(index).orElseThrow().digest()).endsWith("3".repeat(64));
        assertThat(Platform.parse("linux/arm64/v8").choose(index).orElseThrow().digest()).endsWith("3".repeat(64));
    }

    @Test
    void absentPlatform_isEmpty() {
        assertThat(Platform.parse("linux/s390x").choose(index)).isEmpty();
        assertThat(Platform.parse("linux/x86_64").toString()).isEqualTo("linux/amd64");
    }

    @Test
    void badPlatform_isRefused() {
        assertThatThrownBy(() -> Platform.parse("a/b/c/d")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Platform.parse("/amd64")).isInstanceOf(InvalidArgumentException.class);
    }
}
