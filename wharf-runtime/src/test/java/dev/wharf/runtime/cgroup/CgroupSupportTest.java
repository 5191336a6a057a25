package dev.wharf.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupSupportTest {

    private static void touch(Path root, String rel) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "");
    }

    @Test
    void v1_readsEachControllersFiles(@TempDir Path root) throws Exception {
        touch(root, "memory/memory.limit_in_bytes");
        touch(root, "memory/memory.oom_control");
        touch(root, "cpu/cpu.shares");
        touch(root, "cpu/cpu.cfs_period_us");
        touch(root, "cpu/cpu.cfs_quota_us");
        touch(root, "blkio/blkio.throttle.read_bps_device");
        CgroupSupport s = CgroupSupport.probe(root, false);
        assertThat(s.memoryLimit()).isTrue();
        assertThat(s.swapLimit()).as("no memsw file: swap accounting is off").isFalse();
        assertThat(s.oomKillDisable()).isTrue();
        assertThat(s.cpuShares()).isTrue();
        assertThat(s.cpuCfsQuota()).isTrue();
        assertThat(s.cpuSet()).isFalse();
        assertThat(s.pidsLimit()).isFalse();
        assertThat(s.blkioWeight()).as("no blkio.weight nor blkio.bfq.weight").isFalse();
    }

    @Test
    void v2_readsTheRootsControllers(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        CgroupSupport s = CgroupSupport.probe(root, true);
        assertThat(s).isEqualTo(new CgroupSupport(true, true, false, false, true, true, true, true, true, true));
        Files.writeString(root.resolve("cgroup.controllers"), "pids\n");
        assertThat(CgroupSupport.probe(root, true).memoryLimit()).isFalse();
    }
}
