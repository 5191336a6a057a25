package dev.wharf.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupSupportTest {

    @TempDir
    Path root;

    private void touch(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "");
    }

    /** The layout of a Debian 12 VM whose disks use mq-deadline: throttling but no weight. */
    @Test
    void v1_withoutBfq_hasThrottlingButNoBlkioWeight() throws IOException {
        for (String f : new String[] {"memory/memory.limit_in_bytes", "memory/memory.memsw.limit_in_bytes",
                "memory/memory.soft_limit_in_bytes", "memory/memory.swappiness", "memory/memory.oom_control",
                "memory/memory.kmem.limit_in_bytes", "memory/memory.kmem.tcp.limit_in_bytes", "pids/cgroup.procs",
                "cpu/cpu.shares", "cpu/cpu.cfs_period_us", "cpu/cpu.cfs_quota_us", "cpuset/cpuset.cpus",
                "blkio/blkio.throttle.read_bps_device", "blkio/blkio.throttle.write_bps_device",
                "blkio/blkio.throttle.read_iops_device", "blkio/blkio.throttle.write_iops_device"}) {
            touch(f);
        }
        CgroupSupport s = CgroupSupport.probe(root, false);
        assertThat(s.memoryLimit()).isTrue();
        assertThat(s.swapLimit()).isTrue();
        assertThat(s.cpuCfs()).isTrue();
        assertThat(s.blkioWeight()).isFalse();
        assertThat(s.blkioWeightDevice()).isFalse();
        assertThat(s.blkioReadBps()).isTrue();
        assertThat(s.infoWarnings()).containsExactly("WARNING: No blkio weight support",
                "WARNING: No blkio weight_device support");
    }

    @Test
    void v1_withBfq_hasBlkioWeight() throws IOException {
        touch("blkio/blkio.bfq.weight");
        touch("blkio/blkio.bfq.weight_device");
        CgroupSupport s = CgroupSupport.probe(root, false);
        assertThat(s.blkioWeight()).isTrue();
        assertThat(s.blkioWeightDevice()).isTrue();
        assertThat(s.memoryLimit()).isFalse();
        assertThat(s.infoWarnings()).contains("WARNING: No memory limit support", "WARNING: No swap limit support")
                .doesNotContain("WARNING: No blkio weight support");
    }

    @Test
    void v2_controllersDecide_andTheWeightNeedsAFileInAChild() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpu io memory pids\n");
        Files.createDirectories(root.resolve("system.slice"));
        CgroupSupport without = CgroupSupport.probe(root, true);
        assertThat(without.memoryLimit()).isTrue();
        assertThat(without.cpuset()).isTrue();
        assertThat(without.blkioWeight()).isFalse();
        assertThat(without.blkioReadBps()).isTrue();
        assertThat(without.infoWarnings()).containsExactly("WARNING: No io.weight support",
                "WARNING: No io.weight (per device) support");
        touch("system.slice/io.bfq.weight");
        assertThat(CgroupSupport.probe(root, true).blkioWeight()).isTrue();
    }
}
