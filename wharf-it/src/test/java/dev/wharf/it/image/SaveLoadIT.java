package dev.wharf.it.image;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker save} / {@code docker load}, with archives skopeo wrote and archives built to attack. */
@WharfIT
class SaveLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void saveThenLoad_keepsIdTagsConfigAndHistory(DockerCli docker, @TempDir Path tmp) {
        String ref = "wharf-test/" + Names.unique("rt") + ":v1";
        docker.ok("tag", BUSYBOX, ref);
        String id = docker.ok("image", "inspect", "--format", "{{.Id}}", ref).out();
        String cfg = docker.ok("image", "inspect", "--format", "{{json .Config}} {{json .RootFS}}", ref).out();
        String history = docker.ok("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}|{{.Comment}}", ref).out();
        Path archive = tmp.resolve("img.tar");

        docker.ok("save", "-o", archive.toString(), ref);
        docker.ok("rmi", ref);
        CliResult load = docker.run("load", "-i", archive.toString());

        assertThat(load.exitCode()).as(load.toString()).isZero();
        assertThat(load.out()).isEqualTo("Loaded image: " + ref);
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}}", ref).out()).isEqualTo(id);
        assertThat(docker.ok("image", "inspect", "--format", "{{json .Config}} {{json .RootFS}}", ref).out()).isEqualTo(cfg);
        assertThat(docker.ok("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}|{{.Comment}}", ref).out())
                .isEqualTo(history);
        CliResult run = docker.run("run", "--rm", ref, "echo", "loaded");
        assertThat(run.stdout()).as(run.toString()).isEqualTo("loaded\n");
        docker.ok("rmi", ref);
    }

    @Test
    void skopeo_readsWhatWharfSaves_andWharfLoadsWhatSkopeoWrites(DockerCli docker, @TempDir Path tmp) throws Exception {
        String id = docker.ok("image", "inspect", "--format", "{{.Id}}", BUSYBOX).out();
        String layers = docker.ok("image", "inspect", "--format", "{{json .RootFS.Layers}}", BUSYBOX).out();
        Path saved = tmp.resolve("saved.tar");
        docker.ok("save", "-o", saved.toString(), BUSYBOX);

        JsonNode asDockerArchive = JSON.readTree(skopeo("inspect", "docker-archive:" + saved));
        assertThat(JSON.writeValueAsString(asDockerArchive.get("Layers"))).isEqualTo(layers);
        JsonNode asOci = JSON.readTree(skopeo("inspect", "--raw", "oci-archive:" + saved));
        assertThat(asOci.path("config").path("digest").asText()).isEqualTo(id);

        Path zstdOci = tmp.resolve("zstd-oci.tar");
        Path gzipDocker = tmp.resolve("gzip-docker.tar");
        String ociRef = "wharf-test/" + Names.unique("sko") + ":zstd";
        String dockerRef = "wharf-test/" + Names.unique("sko") + ":gzip";
        skopeo("copy", "--dest-compress", "--dest-compress-format", "zstd", "docker-archive:" + saved,
                "oci-archive:" + zstdOci + ":" + ociRef);
        skopeo("copy", "--dest-compress", "docker-archive:" + saved, "docker-archive:" + gzipDocker + ":" + dockerRef);

        assertThat(docker.ok("load", "-i", zstdOci.toString()).out()).isEqualTo("Loaded image: " + ociRef);
        assertThat(docker.ok("load", "-i", gzipDocker.toString()).out()).isEqualTo("Loaded image: " + dockerRef);
        String ociConfigDigest = JSON.readTree(skopeo("inspect", "--raw", "oci-archive:" + zstdOci))
                .path("config").path("digest").asText();
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}}", ociRef).out()).isEqualTo(ociConfigDigest);
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}}", dockerRef).out()).isEqualTo(id);
        assertThat(docker.ok("image", "inspect", "--format", "{{json .RootFS.Layers}}", ociRef).out()).isEqualTo(layers);
        CliResult run = docker.run("run", "--rm", ociRef, "echo", "from-skopeo");
        assertThat(run.stdout()).as(run.toString()).isEqualTo("from-skopeo\n");
        docker.ok("rmi", ociRef, dockerRef);
    }

    @Test
    void save_ofSeveralImages_loadsThemAll(DockerCli docker, @TempDir Path tmp) {
        String a = "wharf-test/" + Names.unique("multi") + ":a";
        String b = "wharf-test/" + Names.unique("multi") + ":b";
        docker.ok("tag", BUSYBOX, a);
        docker.ok("tag", BUSYBOX, b);
        Path archive = tmp.resolve("two.tar");
        docker.ok("save", "-o", archive.toString(), a, b);
        docker.ok("rmi", a, b);

        CliResult load = docker.run("load", "-i", archive.toString());

        assertThat(load.lines()).as(load.toString()).containsExactlyInAnyOrder("Loaded image: " + a, "Loaded image: " + b);
        docker.ok("rmi", a, b);
    }

    @Test
    void load_refusesALayerThatEscapes_andChangesNothing(WharfdProcess wharfd, DockerCli docker, @TempDir Path tmp)
            throws Exception {
        String victim = "/tmp/wharf-escape-" + Names.unique("v");
        String ref = "wharf-test/" + Names.unique("evil") + ":1";
        for (byte[] layer : List.of(tar(Map.of("../../../.." + victim, "pwned")), tarWithHardlink("hl", victim))) {
            int imagesBefore = docker.ok("images", "-q", "-a").lines().size();
            Path archive = tmp.resolve("evil.tar");
            Files.write(archive, dockerArchive(layer, ref));

            CliResult load = docker.run("load", "-i", archive.toString());

            assertThat(load.exitCode()).as(load.toString()).isEqualTo(1);
            assertThat(load.stderr()).as("the error is the stream's, not a status line").doesNotStartWith("Error response from daemon").isNotBlank();
            assertThat(Path.of(victim)).doesNotExist();
            assertThat(docker.ok("images", "-q", "-a").lines()).hasSize(imagesBefore);
            assertThat(leftovers(wharfd)).isEmpty();
        }
    }

    @Test
    void load_confinesASymlinkedParentToTheLayer(DockerCli docker, @TempDir Path tmp) throws Exception {
        String victim = "/tmp/wharf-escape-" + Names.unique("s");
        String ref = "wharf-test/" + Names.unique("confined") + ":1";
        Path archive = tmp.resolve("link.tar");
        Files.write(archive, dockerArchive(tarWithSymlinkThenFile("link", "/tmp", "link/" + victim.substring(5)), ref));

        CliResult load = docker.run("load", "-i", archive.toString());

        assertThat(load.exitCode()).as(load.toString()).isZero();
        assertThat(Path.of(victim)).doesNotExist();
        docker.ok("rmi", ref);
    }

    @Test
    void load_refusesALayerWhoseDigestDoesNotMatchTheConfig(DockerCli docker, @TempDir Path tmp) throws Exception {
        byte[] layer = tar(Map.of("hello.txt", "hi"));
        byte[] other = tar(Map.of("other.txt", "x"));
        Path archive = tmp.resolve("bad.tar");
        Files.write(archive, dockerArchive(layer, sha256(other), "wharf-test/bad:1"));

        CliResult load = docker.run("load", "-i", archive.toString());

        assertThat(load.exitCode()).isEqualTo(1);
        assertThat(load.stderr()).contains("invalid diffID for layer 0: expected \"" + sha256(other) + "\", got \""
                + sha256(layer) + "\"");
        assertThat(docker.run("image", "inspect", "wharf-test/bad:1").exitCode()).isEqualTo(1);
    }

    @Test
    void load_killedHalfway_leavesNoHalfImage_andASecondLoadSucceeds(WharfdProcess wharfd, DockerCli docker,
            @TempDir Path tmp) throws Exception {
        String ref = "wharf-test/" + Names.unique("kill") + ":1";
        byte[] big = new byte[8 << 20];
        new java.util.Random(1).nextBytes(big);
        byte[] layer = tarBytes(Map.of("big.bin", big));
        byte[] archive = dockerArchive(layer, ref);
        long before = bytesUnder(wharfd.dataRoot());
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(wharfd.socket()));
            String head = "POST /v1.44/images/load?quiet=1 HTTP/1.1\r\nHost: d\r\nContent-Type: application/x-tar\r\n"
                    + "Content-Length: " + archive.length + "\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(archive, 0, archive.length * 3 / 4));
            // kill it in the middle of the load: once part of the layer is on disk
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> bytesUnder(wharfd.dataRoot()) > before + (2 << 20));
            wharfd.kill9();
        }
        wharfd.restart();

        assertThat(docker.run("image", "inspect", ref).exitCode()).isEqualTo(1);
        assertThat(leftovers(wharfd)).isEmpty();
        Path file = tmp.resolve("again.tar");
        Files.write(file, archive);
        assertThat(docker.ok("load", "-i", file.toString()).out()).isEqualTo("Loaded image: " + ref);
        CliResult run = docker.run("run", "--rm", ref, "/bin/busybox", "true");
        assertThat(docker.ok("image", "inspect", "--format", "{{len .RootFS.Layers}}", ref).out()).isEqualTo("1");
        docker.ok("rmi", ref);
    }

    @Test
    void load_ofGarbage_isAnErrorInsideThe200Stream_asDockers(WharfdProcess wharfd) {
        Api.Response r = wharfd.api().send("POST", "/v1.44/images/load", Map.of("Content-Type", "application/x-tar"),
                "this is not a tar".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).contains("\"errorDetail\":{\"message\":\"invalid archive");
    }

    // ---- helpers ----

    /** Bytes in the files under {@code dir} but the database's (which grows on its own). */
    private static long bytesUnder(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("wharf.db"))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (java.io.IOException e) {
                            return 0; // removed while walking
                        }
                    }).sum();
        } catch (java.io.UncheckedIOException e) {
            return 0; // a directory removed while walking; the next poll sees the rest
        }
    }

    private static List<Path> leftovers(WharfdProcess wharfd) throws IOException {
        try (Stream<Path> s = Files.list(wharfd.dataRoot().resolve("layers"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("tmp-")).toList();
        }
    }

    static String skopeo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    static byte[] dockerArchive(byte[] layer, String ref) throws IOException {
        return dockerArchive(layer, sha256(layer), ref);
    }

    static byte[] dockerArchive(byte[] layer, String diffId, String ref) throws IOException {
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
                + "\"history\":[{\"created_by\":\"test\"}]}";
        String cfgName = sha256(config.getBytes(StandardCharsets.UTF_8)).substring(7) + ".json";
        String manifest = "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"" + ref + "\"],\"Layers\":[\"l/layer.tar\"]}]";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            file(t, "l/layer.tar", layer);
            file(t, cfgName, config.getBytes(StandardCharsets.UTF_8));
            file(t, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] tar(Map<String, String> files) throws IOException {
        Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        files.forEach((k, v) -> m.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return tarBytes(m);
    }

    private static byte[] tarBytes(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                file(t, e.getKey(), e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] tarWithSymlinkThenFile(String link, String target, String through) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry l = new TarArchiveEntry(link, TarArchiveEntry.LF_SYMLINK);
            l.setLinkName(target);
            t.putArchiveEntry(l);
            t.closeArchiveEntry();
            file(t, through, "pwned".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] tarWithHardlink(String name, String target) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry l = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
            l.setLinkName(target);
            t.putArchiveEntry(l);
            t.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0644);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
