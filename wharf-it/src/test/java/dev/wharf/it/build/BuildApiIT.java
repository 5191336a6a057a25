package dev.wharf.it.build;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;

/** {@code POST /build} on the wire, as docker-py and docker-java use it. */
@WharfIT
class BuildApiIT {

    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/x-tar",
            "X-Registry-Config", "e30=");

    private static List<JsonNode> messages(Api.Response r) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.text().split("\r\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(Api.JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not one JSON message per line: " + line, e);
                }
            }
        }
        return out;
    }

    private static byte[] compress(byte[] tar, Function<OutputStream, OutputStream> wrap) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = wrap.apply(b)) {
            o.write(tar);
        }
        return b.toByteArray();
    }

    @Test
    void compressedContexts_allBuild(Api api) throws IOException {
        byte[] tar = BuildContexts.tar(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nCOPY f /f\n", "f", "x"));
        List<byte[]> bodies = List.of(tar,
                compress(tar, o -> io(() -> new GZIPOutputStream(o))),
                compress(tar, o -> io(() -> new BZip2CompressorOutputStream(o))),
                compress(tar, o -> io(() -> new XZCompressorOutputStream(o))));
        String first = null;
        for (byte[] body : bodies) {
            Api.Response r = api.send("POST", "/build?q=1", HEADERS, body, Duration.ofSeconds(60));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            List<JsonNode> m = messages(r);
            assertThat(m).hasSize(1);
            String id = m.getFirst().path("stream").asText().strip();
            assertThat(id).matches("sha256:[0-9a-f]{64}");
            if (first == null) {
                first = id;
            }
            assertThat(id).as("the same context, however compressed, is a cache hit").isEqualTo(first);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T io(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void stream_hasDockersMessages_auxIdAndTags(Api api) {
        String repo = "wharf-test/" + Names.unique("api");
        byte[] tar = BuildContexts.tar(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN echo hi\n"));

        Api.Response r = api.send("POST", "/v1.44/build?t=" + Api.q(repo + ":a") + "&t=" + Api.q(repo + ":b")
                + "&labels=" + Api.q("{\"k\":\"v\"}") + "&buildargs=" + Api.q("{\"UNUSED\":\"1\"}") + "&version=1",
                HEADERS, tar, Duration.ofSeconds(60));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        List<JsonNode> m = messages(r);
        assertThat(m.getFirst().path("stream").asText()).isEqualTo("Step 1/3 : FROM " + BUSYBOX);
        assertThat(m.get(1).path("stream").asText()).isEqualTo("\n");
        String id = m.stream().filter(x -> x.has("aux")).findFirst().orElseThrow().path("aux").path("ID").asText();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        List<String> streams = m.stream().filter(x -> x.has("stream")).map(x -> x.path("stream").asText()).toList();
        assertThat(streams).containsSubsequence("Step 3/3 : LABEL \"k\"=\"v\"",
                "[Warning] One or more build-args [UNUSED] were not consumed\n",
                "Successfully built " + id.substring(7, 19) + "\n", "Successfully tagged " + repo + ":a\n",
                "Successfully tagged " + repo + ":b\n");
        assertThat(api.get("/images/" + repo + ":b/json").json().path("Config").path("Labels").path("k").asText())
                .isEqualTo("v");
        api.delete("/images/" + repo + ":a");
        api.delete("/images/" + repo + ":b");
    }

    @Test
    void failingStep_isAnErrorMessageWithTheExitCode(Api api) {
        byte[] tar = BuildContexts.tar(Map.of("Dockerfile", "FROM " + BUSYBOX + "\nRUN exit 3\n"));

        Api.Response r = api.send("POST", "/build", HEADERS, tar, Duration.ofSeconds(60));

        assertThat(r.status()).isEqualTo(200);
        JsonNode last = messages(r).getLast();
        assertThat(last.path("errorDetail").path("code").asInt()).isEqualTo(3);
        assertThat(last.path("errorDetail").path("message").asText())
                .isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(last.path("error").asText()).isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3");

        Api.Response quiet = api.send("POST", "/build?q=1", HEADERS, tar, Duration.ofSeconds(60));
        List<JsonNode> qm = messages(quiet);
        assertThat(qm.getFirst().path("stream").asText()).as("q shows what was held back").startsWith("Step 1/2");
        assertThat(qm.getLast().path("errorDetail").path("code").asInt()).isEqualTo(3);
    }

    @Test
    void runStepStderr_isStreamedInRed_stdoutPlain(Api api) {
        // docker-py's test_build_stderr_data: the classic builder wraps what a RUN writes to stderr
        byte[] tar = BuildContexts.tar(Map.of("Dockerfile", "FROM " + BUSYBOX
                + "\nRUN sh -c 'echo to-out; sleep 0.2; >&2 echo to-err'\n"));

        Api.Response r = api.send("POST", "/build?nocache=1", HEADERS, tar, Duration.ofSeconds(60));

        assertThat(r.status()).isEqualTo(200);
        List<String> streams = messages(r).stream().map(m -> m.path("stream").asText()).toList();
        assertThat(streams).contains("to-out\n", "\u001b[91mto-err\n\u001b[0m");
        String id = messages(r).stream().filter(m -> m.has("aux")).findFirst().orElseThrow()
                .path("aux").path("ID").asText();
        api.delete("/images/" + id);
    }

    @Test
    void badRequests_are4xxBeforeTheStream(Api api) {
        Api.Response noDockerfile = api.send("POST", "/build", HEADERS, BuildContexts.tar(Map.of("a", "b")),
                Duration.ofSeconds(30));
        assertThat(noDockerfile.status()).isEqualTo(400);
        assertThat(noDockerfile.message()).isEqualTo("Cannot locate specified Dockerfile: Dockerfile");

        Api.Response named = api.send("POST", "/build?dockerfile=sub/Custom", HEADERS,
                BuildContexts.tar(Map.of("sub/Custom", "FROM " + BUSYBOX + "\nFROB\n")), Duration.ofSeconds(30));
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.message()).isEqualTo("dockerfile parse error on line 2: unknown instruction: FROB");

        Api.Response empty = api.send("POST", "/build", HEADERS, BuildContexts.tar(Map.of("Dockerfile", "\n# only\n")),
                Duration.ofSeconds(30));
        assertThat(empty.status()).isEqualTo(400);

        Api.Response buildkit = api.send("POST", "/build?version=2", HEADERS, BuildContexts.tar(Map.of("Dockerfile",
                "FROM x\n")), Duration.ofSeconds(30));
        assertThat(buildkit.status()).isEqualTo(400);
        assertThat(buildkit.message()).contains("DOCKER_BUILDKIT=0");

        Api.Response badArgs = api.send("POST", "/build?buildargs=notjson", HEADERS, BuildContexts.tar(Map.of(
                "Dockerfile", "FROM x\n")), Duration.ofSeconds(30));
        assertThat(badArgs.status()).isEqualTo(400);
    }

    @Test
    void plainDockerfileBody_andCacheFrom(Api api) {
        byte[] dockerfile = ("FROM " + BUSYBOX + "\nRUN echo plain > /p\n").getBytes();
        Api.Response r = api.send("POST", "/build?q=1&t=" + Api.q("wharf-test/plain:1"), Map.of(), dockerfile,
                Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String id = messages(r).getFirst().path("stream").asText().strip();

        Api.Response withCache = api.send("POST", "/build?cachefrom=" + Api.q("[\"wharf-test/plain:1\"]"), Map.of(),
                dockerfile, Duration.ofSeconds(60));
        assertThat(withCache.text()).contains("Using cache");
        Api.Response otherCache = api.send("POST", "/build?cachefrom=" + Api.q("[\"" + BUSYBOX + "\"]"), Map.of(),
                dockerfile, Duration.ofSeconds(60));
        assertThat(otherCache.text()).as("--cache-from limits the cache to those images").doesNotContain("Using cache");
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        api.delete("/images/wharf-test/plain:1");
    }
}
