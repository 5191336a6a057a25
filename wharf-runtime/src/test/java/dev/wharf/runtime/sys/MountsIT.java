package dev.wharf.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MountsIT {

    Path base;

    @BeforeEach
    void setUp() throws IOException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
        assertThat(uid).as("mount tests must run as root (uid 0)").isEqualTo("0");
        base = Files.createTempDirectory("wharf-mounts-");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = line.split(" ")[4];
            if (mp.startsWith(base.toString())) {
                Mounts.unmount(Path.of(mp));
            }
        }
        try (Stream<Path> s = Files.walk(base)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Path dir(String name) throws IOException {
        return Files.createDirectories(base.resolve(name));
    }

    @Test
    void overlay_twoLowersAndUpper_thenUnmount() throws IOException {
        Path top = dir("l/top");
        Path bottom = dir("l/bottom");
        Path upper = dir("upper");
        Path work = dir("work");
        Path merged = dir("merged");
        Files.writeString(top.resolve("a"), "top");
        Files.writeString(bottom.resolve("a"), "bottom");
        Files.writeString(bottom.resolve("b"), "only-bottom");
        Mounts.overlay(List.of(top, bottom), upper, work, merged);
        assertThat(Mounts.isMountPoint(merged)).isTrue();
        assertThat(Files.readString(merged.resolve("a"))).isEqualTo("top");
        assertThat(Files.readString(merged.resolve("b"))).isEqualTo("only-bottom");
        Files.writeString(merged.resolve("c"), "new");
        assertThat(Files.readString(upper.resolve("c"))).isEqualTo("new");
        assertThat(bottom.resolve("c")).doesNotExist();
        Mounts.unmount(merged);
        assertThat(Mounts.isMountPoint(merged)).isFalse();
        try (Stream<Path> s = Files.list(merged)) {
            assertThat(s).isEmpty();
        }
        Mounts.unmount(merged); // not mounted: no error
        Mounts.unmount(base.resolve("missing"));
    }

    @Test
    void overlay_relativeLowersAndReadOnlyViews() throws IOException {
        Path layers = dir("layers-with-a-long-name-" + "x".repeat(150));
        Files.writeString(dir(layers.getFileName() + "/1").resolve("f"), "one");
        Files.writeString(dir(layers.getFileName() + "/2").resolve("g"), "two");
        Path merged = dir("m1");
        Mounts.overlay(layers, List.of("2", "1"), null, null, merged);
        assertThat(Files.readString(merged.resolve("f"))).isEqualTo("one");
        assertThat(Files.readString(merged.resolve("g"))).isEqualTo("two");
        assertThatThrownBy(() -> Files.writeString(merged.resolve("h"), "x")).isInstanceOf(IOException.class);
        Mounts.unmount(merged);

        Path single = dir("m2");
        Mounts.overlay(List.of(layers.resolve("1")), null, null, single);
        assertThat(Files.readString(single.resolve("f"))).isEqualTo("one");
        assertThatThrownBy(() -> Files.writeString(single.resolve("h"), "x")).isInstanceOf(IOException.class);
        Mounts.unmount(single);
        assertThat(Mounts.isMountPoint(single)).isFalse();
    }

    @Test
    void bind_readOnly() throws IOException {
        Path src = dir("src");
        Files.writeString(src.resolve("x"), "1");
        Path dst = dir("dst");
        Mounts.bind(src, dst, true);
        assertThat(Files.readString(dst.resolve("x"))).isEqualTo("1");
        assertThatThrownBy(() -> Files.writeString(dst.resolve("y"), "2")).isInstanceOf(IOException.class);
        Mounts.unmount(dst);
        assertThat(dst.resolve("x")).doesNotExist();
    }

    @Test
    void overlay_optionsOverAPage_isAClearError() throws IOException {
        List<Path> lowers = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lowers.add(dir("long-layer-directory-name-number-" + i + "-" + "z".repeat(40)));
        }
        assertThatThrownBy(() -> Mounts.overlay(lowers, dir("u"), dir("w"), dir("m")))
                .isInstanceOf(IOException.class).hasMessageContaining("limit");
    }
}
