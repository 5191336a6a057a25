package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON streams as docker-py reads them: every message travels with its line end in one HTTP
 * chunk (a chunk holding only "\n" ends docker-py's decoder with StreamParseError), and a load
 * that fails says so inside its 200 stream, as Docker's does.
 */
@WharfIT
class JsonStreamIT {

    /** Each chunk is exactly one JSON message followed by its line end. */
    private static void assertOneMessagePerChunk(List<byte[]> chunks, String lineEnd) throws IOException {
        assertThat(chunks).isNotEmpty();
        for (byte[] c : chunks) {
            String s = new String(c, StandardCharsets.UTF_8);
            assertThat(s).as("chunk %s", s).endsWith(lineEnd);
            String body = s.substring(0, s.length() - lineEnd.length());
            assertThat(body).as("chunk %s", s).doesNotContain("\n");
            assertThat(Api.JSON.readTree(body).isObject()).as(s).isTrue();
        }
    }

    private static Api.Stream statsStream(Api api, String container) throws IOException {
        return api.open("GET", "/containers/" + container + "/stats?stream=1", Map.of(), null, Duration.ofSeconds(20));
    }

    @Test
    void events_withSinceAndUntil_sendEachMessageInOneChunk(Api api, DockerCli docker) throws IOException {
        long since = System.currentTimeMillis() / 1000 - 1;
        String name = Names.unique("chunk");
        docker.ok("create", "--name", name, BUSYBOX, "true");
        docker.ok("rm", name);
        long until = System.currentTimeMillis() / 1000 + 1;
        List<byte[]> chunks = api.chunks("GET", "/events?since=" + since + "&until=" + until, Map.of(), null,
                Duration.ofSeconds(20));
        assertOneMessagePerChunk(chunks, "\n");
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void stats_sendEachSampleInOneChunk(Api api, DockerCli docker) throws IOException {
        String name = Names.unique("chunkst");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sleep", "30");
            try (Api.Stream s = statsStream(api, name)) {
                assertThat(s.status()).isEqualTo(200);
                assertOneMessagePerChunk(List.of(s.rawChunk(), s.rawChunk()), "\n");
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void stats_streamsOfOneContainer_shareEachSecondsReading(Api api, DockerCli docker) throws IOException {
        // as Docker's collector: one reading per container and second, whatever the number of
        // streams (twenty docker stats windows used to read every cgroup file twenty times)
        String name = Names.unique("sharedst");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sleep", "60");
            try (Api.Stream a = statsStream(api, name); Api.Stream b = statsStream(api, name)) {
                List<String> readsA = new ArrayList<>();
                List<String> readsB = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    readsA.add(Api.JSON.readTree(a.rawChunk()).path("read").asText());
                    readsB.add(Api.JSON.readTree(b.rawChunk()).path("read").asText());
                }
                // each stream's first frame is its own, read at once; the ones after come from
                // the shared tick (a stream may skip a tick that comes right after its first frame)
                List<String> shared = new ArrayList<>(readsA.subList(1, 4));
                shared.retainAll(readsB.subList(1, 4));
                assertThat(shared).as("A read %s, B read %s", readsA, readsB).hasSizeGreaterThanOrEqualTo(2);
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void load_sendsEachProgressMessageInOneChunk(Api api, DockerCli docker, @TempDir Path tmp) throws IOException {
        String ref = "wharf-test/" + Names.unique("chunkld") + ":1";
        docker.ok("tag", BUSYBOX, ref);
        Path tar = tmp.resolve("img.tar");
        docker.ok("save", "-o", tar.toString(), ref);
        docker.ok("rmi", ref);
        List<byte[]> chunks = api.chunks("POST", "/images/load", Map.of("Content-Type", "application/x-tar"),
                Files.readAllBytes(tar), Duration.ofSeconds(60));
        assertOneMessagePerChunk(chunks, "\r\n");
        assertThat(new String(chunks.getLast(), StandardCharsets.UTF_8)).contains("Loaded image: " + ref);
        docker.ok("rmi", ref);
    }

    @Test
    void load_ofATarThatIsNoImage_answersTheErrorInsideTheStream(Api api, DockerCli docker, @TempDir Path tmp)
            throws IOException {
        byte[] tar = tar("notes.txt", "no image here\n");
        int before = Api.JSON.readTree(api.get("/images/json?all=1").text()).size();
        Api.Response r = api.send("POST", "/images/load", Map.of("Content-Type", "application/x-tar"), tar,
                Duration.ofSeconds(30));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var msg = Api.JSON.readTree(r.text().strip());
        assertThat(msg.path("error").asText()).isNotEmpty();
        assertThat(msg.path("errorDetail").path("message").asText()).isEqualTo(msg.path("error").asText());

        Path file = tmp.resolve("notes.tar");
        Files.write(file, tar);
        CliResult load = docker.run("load", "-i", file.toString());
        assertThat(load.exitCode()).isEqualTo(1);
        assertThat(load.stderr()).contains(msg.path("error").asText());
        assertThat(Api.JSON.readTree(api.get("/images/json?all=1").text()).size()).as("nothing stored")
                .isEqualTo(before);
    }

    private static byte[] tar(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(b.length);
            t.putArchiveEntry(e);
            t.write(b);
            t.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
