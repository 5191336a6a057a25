package dev.wharf.it.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The busybox rootfs tar has what the tests rely on. */
class TestImagesTest {

    @Test
    void busyboxRootfs_hasBusyboxAppletsUsersAndTmp() throws IOException {
        Map<String, TarArchiveEntry> entries = new HashMap<>();
        Map<String, String> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(TestImages.busyboxRootfs()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
                if (e.isFile() && e.getName().startsWith("etc/")) files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        assertThat(entries.get("bin/busybox").isFile()).isTrue();
        assertThat(entries.get("bin/busybox").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("bin/busybox").getSize()).isGreaterThan(500_000);
        for (String applet : new String[] {"sh", "echo", "cat", "sleep", "true", "id", "ls"}) {
            assertThat(entries.get("bin/" + applet).isSymbolicLink()).as(applet).isTrue();
            assertThat(entries.get("bin/" + applet).getLinkName()).isEqualTo("busybox");
        }
        assertThat(entries.get("tmp/").isDirectory()).isTrue();
        assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(entries.get("home/app/").getLongUserId()).isEqualTo(1000);
        assertThat(files.get("etc/passwd")).contains("root:x:0:0:", "app:x:1000:1000:", ":65534:65534:");
        assertThat(files.get("etc/group")).contains("root:x:0:", "app:x:1000:", ":65534:");
    }

    @Test
    void busyboxRootfs_isTheSameEveryTime() {
        assertThat(TestImages.busyboxRootfs()).isEqualTo(TestImages.busyboxRootfs());
    }
}
