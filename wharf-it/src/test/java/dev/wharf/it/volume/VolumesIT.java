package dev.wharf.it.volume;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes and mounts, as a user of the docker CLI sees them: data outlives containers. */
@WharfIT
class VolumesIT {

    @Test
    void namedVolume_handsDataFromOneContainerToTheNext(DockerCli docker) {
        String vol = Names.unique("vol");
        try {
            assertThat(docker.ok("volume", "create", vol).out()).isEqualTo(vol);
            docker.ok("run", "--rm", "-v", vol + ":/data", BUSYBOX, "sh", "-c", "echo handed-over > /data/f");
            assertThat(docker.ok("run", "--rm", "-v", vol + ":/data", BUSYBOX, "cat", "/data/f").stdout())
                    .isEqualTo("handed-over\n");
            assertThat(docker.ok("volume", "ls", "-q").lines()).contains(vol);
            assertThat(docker.ok("volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Scope}}", vol).out())
                    .isEqualTo(vol + " local local");
            // system df -v: the volume with its links and the 12 bytes written ("handed-over\n").
            assertThat(docker.ok("system", "df", "-v").lines()).anySatisfy(l ->
                    assertThat(l.split("\\s+")).containsExactly(vol, "0", "12B"));
        } finally {
            docker.run("volume", "rm", "-f", vol);
        }
    }

    @Test
    void readOnlyMount_refusesWrites(DockerCli docker) {
        String vol = Names.unique("rovol");
        try {
            CliResult w = docker.run("run", "--rm", "-v", vol + ":/data:ro", BUSYBOX, "sh", "-c", "echo x > /data/f");
            assertThat(w.exitCode()).as(w.toString()).isNotZero();
            assertThat(w.stderr()).contains("Read-only file system");
            assertThat(docker.ok("inspect", "--format", "{{json .Mounts}}",
                    docker.ok("create", "-v", vol + ":/data:ro", BUSYBOX, "true").out()).out())
                    .contains("\"Type\":\"volume\"").contains("\"Name\":\"" + vol + "\"").contains("\"RW\":false")
                    .contains("\"Destination\":\"/data\"");
        } finally {
            docker.run("container", "prune", "-f");
            for (String id : docker.ok("ps", "-aq").lines()) {
                docker.run("rm", "-f", id);
            }
            docker.run("volume", "rm", "-f", vol);
        }
    }

    @Test
    void volumeInUse_isRefused_andRemovableAfterTheContainerIsGone(DockerCli docker) {
        String vol = Names.unique("busy");
        String name = Names.unique("user");
        try {
            docker.ok("run", "-d", "--name", name, "-v", vol + ":/data", BUSYBOX, "sleep", "100");
            CliResult rm = docker.run("volume", "rm", vol);
            assertThat(rm.exitCode()).isEqualTo(1);
            assertThat(rm.stderr()).contains("volume is in use");
            CliResult force = docker.run("volume", "rm", "-f", vol);
            assertThat(force.exitCode()).as("never removed while running").isEqualTo(1);
            assertThat(docker.ok("volume", "ls", "-q").lines()).contains(vol);
            docker.ok("rm", "-f", name);
            assertThat(docker.ok("volume", "rm", vol).out()).isEqualTo(vol);
            assertThat(docker.ok("volume", "ls", "-q").lines()).doesNotContain(vol);
        } finally {
            docker.run("rm", "-f", name);
            docker.run("volume", "rm", "-f", vol);
        }
    }

    @Test
    void bindMount_seesHostFiles_andMissingSourceIsCreatedByVButRefusedByMount(DockerCli docker,
            WharfdProcess wharfd) throws Exception {
        Path dir = wharfd.base().resolve("bind-src");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("h.txt"), "from-host\n");
        assertThat(docker.ok("run", "--rm", "-v", dir + ":/h", BUSYBOX, "cat", "/h/h.txt").stdout())
                .isEqualTo("from-host\n");
        docker.ok("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/h", BUSYBOX, "sh", "-c",
                "echo back > /h/back.txt");
        assertThat(Files.readString(dir.resolve("back.txt"))).isEqualTo("back\n");

        Path missing = wharfd.base().resolve("made-by-v");
        docker.ok("run", "--rm", "-v", missing + ":/m", BUSYBOX, "true");
        assertThat(Files.isDirectory(missing)).isTrue();

        Path missing2 = wharfd.base().resolve("not-made");
        CliResult r = docker.run("run", "--rm", "--mount", "type=bind,source=" + missing2 + ",target=/m", BUSYBOX,
                "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("bind source path does not exist");
        assertThat(Files.exists(missing2)).isFalse();
    }

    @Test
    void newNamedVolume_isFilledFromTheImage_unlessNocopy(DockerCli docker) {
        String vol = Names.unique("copyup");
        String vol2 = Names.unique("nocopy");
        try {
            // /etc in the test image holds passwd and group, owned by root, mode 0644.
            assertThat(docker.ok("run", "--rm", "-v", vol + ":/etc", BUSYBOX, "sh", "-c",
                    "stat -c '%n %u %a' /etc/passwd").out()).isEqualTo("/etc/passwd 0 644");
            assertThat(docker.ok("run", "--rm", "-v", vol + ":/mnt", BUSYBOX, "ls", "/mnt").lines())
                    .contains("passwd", "group");
            assertThat(docker.ok("run", "--rm", "-v", vol2 + ":/etc:nocopy", BUSYBOX, "ls", "-A", "/etc").out())
                    .doesNotContain("passwd");
        } finally {
            docker.run("volume", "rm", "-f", vol);
            docker.run("volume", "rm", "-f", vol2);
        }
    }

    @Test
    void anonymousVolumes_goWithRmV_andRunRm_butNamedOnesStay(DockerCli docker) {
        String named = Names.unique("keep");
        String name = Names.unique("anon");
        try {
            int before = docker.ok("volume", "ls", "-q").lines().size();
            docker.ok("run", "--rm", "-v", "/scratch", "-v", named + ":/keep", BUSYBOX, "true");
            assertThat(docker.ok("volume", "ls", "-q").lines()).hasSize(before + 1).contains(named);

            docker.ok("create", "--name", name, "-v", "/scratch", BUSYBOX, "true");
            assertThat(docker.ok("volume", "ls", "-q").lines()).hasSize(before + 2);
            docker.ok("rm", "-v", name);
            assertThat(docker.ok("volume", "ls", "-q").lines()).hasSize(before + 1).contains(named);
        } finally {
            docker.run("rm", "-f", name);
            docker.run("volume", "rm", "-f", named);
        }
    }

    @Test
    void dataSurvivesKill9OfTheDaemon(DockerCli docker, WharfdProcess wharfd) throws Exception {
        String vol = Names.unique("durable");
        try {
            docker.ok("run", "--rm", "-v", vol + ":/d", BUSYBOX, "sh", "-c",
                    "dd if=/dev/urandom of=/d/blob bs=1k count=256 2>/dev/null; sync; md5sum /d/blob > /d/sum");
            String sum = docker.ok("run", "--rm", "-v", vol + ":/d", BUSYBOX, "cat", "/d/sum").out();
            wharfd.kill9();
            wharfd.restart();
            assertThat(docker.ok("run", "--rm", "-v", vol + ":/d", BUSYBOX, "md5sum", "/d/blob").out())
                    .isEqualTo(sum);
        } finally {
            docker.run("volume", "rm", "-f", vol);
        }
    }

    @Test
    void volumesFrom_sharesTheMounts(DockerCli docker) {
        String vol = Names.unique("shared");
        String src = Names.unique("src");
        try {
            docker.ok("create", "--name", src, "-v", vol + ":/shared", BUSYBOX, "true");
            docker.ok("run", "--rm", "--volumes-from", src, BUSYBOX, "sh", "-c", "echo via-from > /shared/x");
            assertThat(docker.ok("run", "--rm", "-v", vol + ":/v", BUSYBOX, "cat", "/v/x").out())
                    .isEqualTo("via-from");
            CliResult ro = docker.run("run", "--rm", "--volumes-from", src + ":ro", BUSYBOX, "sh", "-c",
                    "echo no > /shared/y");
            assertThat(ro.exitCode()).isNotZero();
        } finally {
            docker.run("rm", "-f", src);
            docker.run("volume", "rm", "-f", vol);
        }
    }

    @Test
    void imageVolume_getsAnAnonymousVolumeFilledFromTheImage(DockerCli docker) {
        String image = "wharf-test/withvolume:" + Names.unique("t");
        String name = Names.unique("imgvol");
        try {
            docker.ok("import", "--change", "VOLUME /etc", "--change", "CMD [\"sh\"]",
                    TestImages.busyboxTar().toString(), image);
            docker.ok("create", "--name", name, image, "ls", "/etc");
            String mounts = docker.ok("inspect", "--format",
                    "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}}{{end}}", name).out();
            assertThat(mounts).isEqualTo("volume /etc true");
            assertThat(docker.ok("start", "-a", name).lines()).contains("passwd");
            String vol = docker.ok("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", name).out();
            assertThat(docker.ok("volume", "inspect", "--format", "{{json .Labels}}", vol).out())
                    .contains("com.docker.volume.anonymous");
            docker.ok("rm", "-v", name);
            assertThat(docker.ok("volume", "ls", "-q").lines()).doesNotContain(vol);
        } finally {
            docker.run("rm", "-f", name);
            docker.run("rmi", image);
        }
    }

    @Test
    void localDriverTmpfsOptions_mountATmpfs(DockerCli docker, @TempDir Path host) throws IOException {
        String vol = Names.unique("tmpfsvol");
        String bound = Names.unique("bindvol");
        String broken = Names.unique("badvol");
        try {
            // compose's "driver_opts: {type: none, o: bind, device: ./data}": a named volume on a host directory
            Files.writeString(host.resolve("from-host"), "h\n");
            docker.ok("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=" + host, bound);
            assertThat(docker.ok("run", "--rm", "-v", bound + ":/b", BUSYBOX, "sh", "-c",
                    "cat /b/from-host; echo c > /b/from-container").out()).isEqualTo("h");
            assertThat(host.resolve("from-container")).hasContent("c");

            docker.ok("volume", "create", "--opt", "type=nosuchfs", "--opt", "device=none", broken);
            CliResult failed = docker.run("run", "--rm", "-v", broken + ":/n", BUSYBOX, "true");
            assertThat(failed.exitCode()).isEqualTo(125);
            assertThat(failed.stderr()).contains("error while mounting volume").doesNotContain("dmesg");
            assertThat(failed.stderr().strip().lines().filter(l -> l.contains("mount")).count()).isEqualTo(1);

            docker.ok("volume", "create", "--driver", "local", "--opt", "type=tmpfs", "--opt", "device=tmpfs",
                    "--opt", "o=size=2m", vol);
            assertThat(docker.ok("run", "--rm", "-v", vol + ":/t", BUSYBOX, "sh", "-c",
                    "grep ' /t ' /proc/mounts | cut -d' ' -f1,3").out()).isEqualTo("tmpfs tmpfs");
            assertThat(docker.ok("volume", "inspect", "--format", "{{.Options.type}} {{.Options.o}}", vol).out())
                    .isEqualTo("tmpfs size=2m");
        } finally {
            docker.run("volume", "rm", "-f", vol, bound, broken);
        }
    }

    @Test
    void listFilters_danglingAndLabel(DockerCli docker) {
        String used = Names.unique("used");
        String free = Names.unique("free");
        String name = Names.unique("holder");
        try {
            docker.ok("volume", "create", "--label", "team=blue", free);
            docker.ok("create", "--name", name, "-v", used + ":/u", BUSYBOX, "true");
            assertThat(docker.ok("volume", "ls", "-q", "--filter", "dangling=true").lines()).contains(free)
                    .doesNotContain(used);
            assertThat(docker.ok("volume", "ls", "-q", "--filter", "dangling=false").lines()).contains(used)
                    .doesNotContain(free);
            assertThat(docker.ok("volume", "ls", "-q", "--filter", "label=team=blue").lines()).containsExactly(free);
        } finally {
            docker.run("rm", "-f", name);
            docker.run("volume", "rm", "-f", used);
            docker.run("volume", "rm", "-f", free);
        }
    }

    @Test
    void volumeSubpath_mountsPartOfTheVolume_andASymlinkCannotLeadOutOfIt(DockerCli docker) {
        String vol = Names.unique("subp");
        try {
            docker.ok("run", "--rm", "-v", vol + ":/v", BUSYBOX, "sh", "-c",
                    "mkdir /v/sub && echo insub > /v/sub/f && ln -s /etc /v/esc");
            assertThat(docker.ok("run", "--rm", "--mount", "type=volume,source=" + vol + ",target=/s,volume-subpath=sub",
                    BUSYBOX, "cat", "/s/f").out()).isEqualTo("insub");
            CliResult esc = docker.run("run", "--rm", "--mount",
                    "type=volume,source=" + vol + ",target=/s,volume-subpath=esc", BUSYBOX, "ls", "/s");
            assertThat(esc.exitCode()).as(esc.toString()).isEqualTo(125);
            assertThat(esc.stderr()).contains("subpath does not exist");
        } finally {
            docker.run("volume", "rm", "-f", vol);
        }
    }

    @Test
    void badInput_getsAClearErrorAndChangesNothing(DockerCli docker, WharfCli wharf) {
        int before = docker.ok("volume", "ls", "-q").lines().size();
        CliResult bad = docker.run("volume", "create", "bad/name");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("includes invalid characters for a local volume name");
        CliResult missing = docker.run("volume", "inspect", "nosuch-vol");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("no such volume");
        CliResult dup = docker.run("run", "--rm", "-v", "a1:/x", "-v", "a2:/x", BUSYBOX, "true");
        assertThat(dup.exitCode()).isEqualTo(125);
        assertThat(dup.stderr()).contains("Duplicate mount point: /x");
        assertThat(docker.ok("volume", "ls", "-q").lines()).hasSize(before);
        CliResult w = wharf.run("volume", "rm", "nosuch-vol");
        assertThat(w.exitCode()).isEqualTo(1);
        assertThat(w.stderr().strip()).isEqualTo("Error response from daemon: get nosuch-vol: no such volume");
    }

    @Test
    void prune_removesOnlyUnusedAnonymousVolumesByDefault(DockerCli docker, WharfCli wharf) {
        String named = Names.unique("pnamed");
        try {
            docker.ok("volume", "create", named);
            String ctr = docker.ok("create", "-v", "/scratch", BUSYBOX, "true").out();
            String anon = docker.ok("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", ctr).out();
            docker.ok("rm", ctr);
            CliResult p = wharf.run("volume", "prune", "-f");
            assertThat(p.exitCode()).as(p.toString()).isZero();
            assertThat(p.stdout()).contains(anon).doesNotContain(named);
            assertThat(docker.ok("volume", "ls", "-q").lines()).contains(named).doesNotContain(anon);
            assertThat(docker.ok("volume", "prune", "-a", "-f").stdout()).contains(named);
        } finally {
            docker.run("volume", "rm", "-f", named);
        }
    }
}
