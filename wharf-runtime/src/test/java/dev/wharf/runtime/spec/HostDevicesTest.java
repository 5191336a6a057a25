package dev.wharf.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.runtime.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDevicesTest {

    @Test
    void hostDev_hasItsCharDevicesButNotPtsShmOrConsole() throws Exception {
        List<Linux.Device> devs = HostDevices.list(Path.of("/dev"));
        assertThat(devs).contains(new Linux.Device("/dev/null", "c", 1, 3, 0666, 0L, 0L));
        assertThat(devs).extracting(Linux.Device::path)
                .noneMatch(p -> p.startsWith("/dev/pts/") || p.startsWith("/dev/shm/") || p.startsWith("/dev/mqueue/"))
                .doesNotContain("/dev/console", "/dev/fd", "/dev/stdin");
    }

    @Test
    void filesLinksAndDirectories_areNotDevices(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"));
        Files.createDirectories(dir.resolve("sub/deeper"));
        assertThat(HostDevices.list(dir)).isEmpty();
    }

    @Test
    void majorAndMinor_asGlibcSplitsThem() {
        long loop0 = (7L << 8); // 7:0
        assertThat(HostDevices.major(loop0)).isEqualTo(7);
        assertThat(HostDevices.minor(loop0)).isZero();
        long big = 0x0000_0001_0000_0000L | (259L << 8) | 0x12; // minor above 255 and major 259
        assertThat(HostDevices.major((259L << 8) | 0x12)).isEqualTo(259);
        assertThat(HostDevices.minor(big)).isEqualTo(0x12 | (0x100000L));
    }
}
