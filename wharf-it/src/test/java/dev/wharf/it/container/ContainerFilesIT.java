package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker cp}, {@code diff}, {@code commit}, {@code history}, {@code export}, prune and {@code system df}. */
@WharfIT
class ContainerFilesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cp_bothWays_onStoppedAndRunningContainers_keepsModesOwnersAndLinks(DockerCli docker, @TempDir Path tmp)
            throws Exception {
        String name = Names.unique("cp");
        try {
            docker.ok("create", "--name", name, BUSYBOX, "sleep", "30");
            Path src = Files.createDirectories(tmp.resolve("src/dir"));
            Files.writeString(src.resolve("script.sh"), "echo run\n");
            Files.setPosixFilePermissions(src.resolve("script.sh"), PosixFilePermissions.fromString("rwxr-x---"));
            Files.createSymbolicLink(src.resolve("link"), Path.of("script.sh"));
            java.nio.file.Files.setAttribute(src.resolve("script.sh"), "unix:uid", 1234);

            docker.ok("cp", "-a", src.toString(), name + ":/opt");    // stopped: into a new name, owners kept
            docker.ok("start", name);
            docker.ok("cp", src.resolve("script.sh").toString(), name + ":/tmp/");   // running

            Map<String, TarArchiveEntry> inside = entries(docker.run("cp", name + ":/opt", "-"));
            assertThat(inside.get("opt/script.sh").getMode() & 07777).isEqualTo(0750);
            assertThat(inside.get("opt/script.sh").getLongUserId()).isEqualTo(1234);
            assertThat(inside.get("opt/link").getLinkName()).isEqualTo("script.sh");
            assertThat(entries(docker.run("cp", name + ":/tmp/script.sh", "-")).get("script.sh").getMode() & 07777)
                    .isEqualTo(0750);
            Path back = tmp.resolve("back");
            docker.ok("cp", name + ":/opt", back.toString());
            assertThat(Files.readString(back.resolve("script.sh"))).isEqualTo("echo run\n");
            assertThat(Files.readSymbolicLink(back.resolve("link"))).isEqualTo(Path.of("script.sh"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("script.sh"))))
                    .isEqualTo("rwxr-x---");

            docker.ok("stop", "-t", "0", name);
            CliResult toStdout = docker.run("cp", name + ":/tmp/script.sh", "-");
            assertThat(toStdout.exitCode()).as(toStdout.toString()).isZero();
            assertThat(toStdout.stdout()).contains("script.sh").contains("echo run");

            CliResult missing = docker.run("cp", name + ":/nope", tmp.resolve("x").toString());
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("Could not find the file /nope in container " + name);

            // a trailing slash asks for a directory: a file there is not one, so nothing is overwritten
            Path other = Files.writeString(tmp.resolve("other.txt"), "other\n");
            CliResult intoFile = docker.run("cp", other.toString(), name + ":/tmp/script.sh/");
            assertThat(intoFile.exitCode()).as(intoFile.toString()).isEqualTo(1);
            assertThat(docker.run("cp", name + ":/tmp/script.sh", "-").stdout()).contains("echo run");
            CliResult fromFile = docker.run("cp", name + ":/etc/passwd/", tmp.resolve("p").toString());
            assertThat(fromFile.exitCode()).isEqualTo(1);
            assertThat(fromFile.stderr()).contains("not a directory");
            assertThat(tmp.resolve("p")).doesNotExist();
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void archiveHead_givesGoFileModeBits_andPutRefusesEscapes(WharfdProcess wharfd, DockerCli docker) throws Exception {
        String name = Names.unique("arch");
        Api api = wharfd.api();
        try {
            String id = docker.ok("create", "--name", name, BUSYBOX, "true").out();
            Api.Response head = api.head("/v1.44/containers/" + id + "/archive?path=/bin", Map.of());
            assertThat(head.status()).as(head.toString()).isEqualTo(200);
            JsonNode stat = JSON.readTree(Base64.getDecoder().decode(head.header("X-Docker-Container-Path-Stat").orElseThrow()));
            assertThat(stat.get("name").asText()).isEqualTo("bin");
            assertThat(stat.get("mode").asLong() & ~0777L).isEqualTo(1L << 31);
            Api.Response sh = api.head("/v1.44/containers/" + id + "/archive?path=/bin/sh", Map.of());
            JsonNode shStat = JSON.readTree(Base64.getDecoder().decode(sh.header("X-Docker-Container-Path-Stat").orElseThrow()));
            assertThat(shStat.get("mode").asLong() & (1L << 27)).isNotZero();
            assertThat(shStat.get("linkTarget").asText()).isEqualTo("/bin/busybox");

            String victim = "/tmp/wharf-cp-escape-" + Names.unique("v");
            Api.Response escape = api.send("PUT", "/v1.44/containers/" + id + "/archive?path=/tmp",
                    Map.of("Content-Type", "application/x-tar"), tar("../../../.." + victim), Duration.ofSeconds(30));
            assertThat(escape.status()).as(escape.toString()).isEqualTo(400);
            assertThat(escape.message()).contains("points outside");
            assertThat(Path.of(victim)).doesNotExist();

            Api.Response notDir = api.send("PUT", "/v1.44/containers/" + id + "/archive?path=/bin/busybox",
                    Map.of("Content-Type", "application/x-tar"), tar("a"), Duration.ofSeconds(30));
            assertThat(notDir.status()).isEqualTo(400);
            assertThat(notDir.message()).isEqualTo("extraction point is not a directory");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void diff_commit_history_export_import(DockerCli docker, WharfCli wharf, @TempDir Path tmp) throws Exception {
        String name = Names.unique("commit");
        String ref = "wharf-test/" + Names.unique("committed") + ":1";
        String imported = "wharf-test/" + Names.unique("imported") + ":1";
        try {
            docker.ok("run", "--name", name, BUSYBOX, "sh", "-c", "echo hi > /etc/new; rm /bin/cat; mkdir -p /data/sub");

            assertThat(docker.ok("diff", name).lines()).containsExactly("C /bin", "D /bin/cat", "A /data", "A /data/sub",
                    "C /etc", "A /etc/new");
            assertThat(wharf.ok("diff", name).lines()).containsExactly("C /bin", "D /bin/cat", "A /data", "A /data/sub",
                    "C /etc", "A /etc/new");

            String id = docker.ok("commit", "-a", "tester", "-m", "a message", "-c", "ENV FOO=bar", name, ref).out();
            assertThat(id).matches("sha256:[0-9a-f]{64}");
            CliResult run = docker.run("run", "--rm", ref, "sh", "-c", "cat /etc/new; test -e /bin/cat || echo gone; echo $FOO");
            assertThat(run.stdout()).as(run.toString()).isEqualTo("hi\ngone\nbar\n");
            assertThat(docker.ok("image", "inspect", "--format", "{{.Author}}|{{.Comment}}|{{len .RootFS.Layers}}", ref).out())
                    .isEqualTo("tester|a message|2");
            CliResult history = docker.ok("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", ref);
            assertThat(history.lines().getFirst()).isEqualTo(id + "|sh -c echo hi > /etc/new; rm /bin/cat; mkdir -p /data/sub|a message");
            assertThat(history.lines().get(1)).startsWith(docker.ok("image", "inspect", "--format", "{{.Id}}", BUSYBOX).out() + "|");

            Path export = tmp.resolve("fs.tar");
            docker.ok("export", "-o", export.toString(), name);
            docker.ok("import", export.toString(), imported);
            CliResult fromExport = docker.run("run", "--rm", imported, "/bin/busybox", "cat", "/etc/new");
            assertThat(fromExport.stdout()).as(fromExport.toString()).isEqualTo("hi\n");
        } finally {
            docker.run("rm", "-f", name);
            docker.run("rmi", ref, imported);
        }
    }

    @Test
    void prune_andSystemDf(DockerCli docker, WharfCli wharf) {
        String stopped = Names.unique("prunable");
        docker.ok("create", "--name", stopped, "--label", "prune=me", BUSYBOX, "true");
        String ref = "wharf-test/" + Names.unique("dang") + ":1";
        docker.ok("run", "--name", stopped + "-src", BUSYBOX, "sh", "-c", "echo x > /x");
        docker.ok("commit", stopped + "-src", ref);
        String dangling = docker.ok("image", "inspect", "--format", "{{.Id}}", ref).out();
        docker.ok("rm", stopped + "-src");
        docker.ok("tag", BUSYBOX, ref); // moves the tag away: the committed image is now dangling

        CliResult df = docker.ok("system", "df");
        assertThat(df.lines().getFirst()).matches("TYPE\\s+TOTAL\\s+ACTIVE\\s+SIZE\\s+RECLAIMABLE");
        assertThat(df.lines().get(1)).startsWith("Images ");

        CliResult cp = docker.ok("container", "prune", "-f", "--filter", "label=prune=me");
        assertThat(cp.out()).startsWith("Deleted Containers:\n").contains("Total reclaimed space:");
        assertThat(docker.run("inspect", stopped).exitCode()).isEqualTo(1);

        CliResult ip = docker.ok("image", "prune", "-f");
        assertThat(ip.out()).contains("deleted: " + dangling).contains("Total reclaimed space: ");
        assertThat(docker.run("image", "inspect", dangling).exitCode()).isEqualTo(1);
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}}", BUSYBOX).exitCode()).isZero();
        docker.ok("rmi", ref);
    }

    private static Map<String, TarArchiveEntry> entries(CliResult r) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, TarArchiveEntry> out = new java.util.HashMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(r.stdout().getBytes(StandardCharsets.ISO_8859_1)))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName().replaceAll("/$", ""), e);
            }
        }
        return out;
    }

    private static byte[] tar(String name) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            byte[] data = "x".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
