package dev.wharf.it.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.CliSession;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.LocalRegistry;
import dev.wharf.it.kit.OciImages;
import dev.wharf.it.kit.SlowProxy;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.TestCa;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.TokenServer;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pull, push and login against Debian's docker-registry on 127.0.0.1: plain, Basic auth, TLS with
 * a test CA and client certificates, and a token server; skopeo on the other side; the docker CLI
 * and the wharf CLI as clients; a kill -9 in the middle of a pull; pulls and pushes whose client
 * goes away, through a {@link SlowProxy} in front of the registry.
 */
@WharfIT(daemonArgs = {"--registry-certs-dir", RegistryIT.CERTS, "--max-concurrent-downloads", "2",
        "--insecure-registry", "10.99.1.2/16", "--insecure-registry", "insecure.example:5000",
        "--registry-mirror", "http://127.0.0.1:9"})
class RegistryIT {

    static final String CERTS = "/tmp/wharf-it-registry-certs.d";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private static LocalRegistry plain;
    private static Path work;

    @BeforeAll
    static void start() throws IOException {
        plain = LocalRegistry.start(LocalRegistry.Options.plain());
        work = TempPaths.dir("wharf-it-registry-work-");
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        try {
            new ProcessBuilder("rm", "-rf", work.toString(), CERTS).start().waitFor();
        } catch (IOException | InterruptedException ignored) {
            // temporary files
        }
    }

    private static String skopeoPush(String layout, LocalRegistry r, String repoTag, String... extra) {
        List<String> args = new ArrayList<>(List.of("copy", "-q", "--dest-tls-verify=false"));
        args.addAll(List.of(extra));
        args.add("oci:" + layout);
        args.add("docker://" + r.host() + "/" + repoTag);
        LocalRegistry.skopeo(args.toArray(String[]::new));
        return inspectDigest(r, repoTag);
    }

    private static String inspectDigest(LocalRegistry r, String repoTag) {
        String out = LocalRegistry.skopeo("inspect", "--tls-verify=false", "docker://" + r.host() + "/" + repoTag);
        Matcher m = Pattern.compile("\"Digest\": \"(sha256:[0-9a-f]{64})\"").matcher(out);
        assertThat(m.find()).as("skopeo inspect: %s", out).isTrue();
        return m.group(1);
    }

    private static String layout(String name, int layers, int bytes, long seed, boolean gzip) {
        Path dir = work.resolve(name);
        OciImages.write(dir, "1", layers, bytes, seed, gzip);
        return dir + ":1";
    }

    @Test
    void skopeoPushed_isPulledByTheDockerCli_withTheSameDigest_andRuns(DockerCli docker) {
        String digest = skopeoPush(layout("sk", 2, 300_000, 1, true), plain, "sk/img:1");
        String ref = plain.host() + "/sk/img:1";
        CliResult pull = docker.ok("pull", ref);
        assertThat(pull.stdout()).contains("1: Pulling from sk/img", "Pull complete", "Digest: " + digest,
                "Status: Downloaded newer image for " + ref);
        assertThat(docker.ok("image", "inspect", "--format", "{{json .RepoDigests}}", ref).stdout())
                .contains(plain.host() + "/sk/img@" + digest);
        assertThat(docker.ok("images", "--digests", plain.host() + "/sk/img").stdout()).contains(digest);
        assertThat(docker.ok("run", "--rm", ref, "sh", "-c", "ls /data").stdout()).contains("file1-1", "file2-1");
        CliResult again = docker.ok("pull", ref);
        assertThat(again.stdout()).contains("Status: Image is up to date for " + ref).doesNotContain("Pull complete");
        docker.ok("rmi", ref);
    }

    @Test
    void zstdAndUncompressedLayers_arePulled(DockerCli docker) {
        skopeoPush(layout("zs", 1, 200_000, 2, true), plain, "zs/img:1", "--dest-compress-format", "zstd",
                "--format", "oci");
        skopeoPush(layout("un", 1, 200_000, 3, false), plain, "un/img:1");
        for (String repo : List.of("zs/img:1", "un/img:1")) {
            String ref = plain.host() + "/" + repo;
            docker.ok("pull", ref);
            assertThat(docker.ok("run", "--rm", ref, "sh", "-c", "ls /data").stdout()).contains("file1-");
            docker.ok("rmi", ref);
        }
    }

    @Test
    void dockerPush_skopeoAgrees_pulledBackHasTheSameDigest_andMountsAcrossRepositories(DockerCli docker) {
        String ref = plain.host() + "/pushed/bb:1";
        docker.ok("tag", TestImages.BUSYBOX, ref);
        CliResult push = docker.ok("push", ref);
        assertThat(push.stdout()).contains("The push refers to repository [" + plain.host() + "/pushed/bb]");
        // the busybox layer, gzipped the same way, may already be in the registry from the OCI layouts
        assertThat(push.stdout()).containsAnyOf(": Pushed", ": Mounted from ", ": Layer already exists");
        Matcher m = Pattern.compile("1: digest: (sha256:[0-9a-f]{64}) size: \\d+").matcher(push.stdout());
        assertThat(m.find()).as(push.stdout()).isTrue();
        String digest = m.group(1);
        assertThat(inspectDigest(plain, "pushed/bb:1")).isEqualTo(digest);
        assertThat(docker.ok("image", "inspect", "--format", "{{json .RepoDigests}}", ref).stdout())
                .contains(plain.host() + "/pushed/bb@" + digest);
        assertThat(docker.ok("push", ref).stdout()).contains("Layer already exists", "1: digest: " + digest);
        String other = plain.host() + "/elsewhere/bb:2";
        docker.ok("tag", ref, other);
        // mounted from whichever repository of this registry is known to hold the blob
        assertThat(docker.ok("push", other).stdout()).contains(": Mounted from ");
        docker.ok("rmi", ref, other);
        assertThat(docker.ok("pull", ref).stdout()).contains("Digest: " + digest);
        assertThat(docker.ok("pull", plain.host() + "/pushed/bb@" + digest).stdout()).contains(digest);
        docker.ok("rmi", ref);
    }

    @Test
    void distributionInspect_isTheRegistrysDescriptorAndPlatforms(Api api, DockerCli docker) {
        String ref = plain.host() + "/dist/bb:1";
        docker.ok("tag", TestImages.BUSYBOX, ref);
        Matcher m = Pattern.compile("1: digest: (sha256:[0-9a-f]{64}) size: (\\d+)").matcher(docker.ok("push", ref)
                .stdout());
        assertThat(m.find()).isTrue();
        // docker-py's inspect_distribution
        Api.Response r = api.get("/v1.44/distribution/" + ref + "/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode d = r.json().path("Descriptor");
        assertThat(d.path("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(d.path("digest").asText()).isEqualTo(m.group(1));
        assertThat(d.path("size").asLong()).isEqualTo(Long.parseLong(m.group(2)));
        assertThat(r.json().path("Platforms").toString()).isEqualTo("[{\"architecture\":\"amd64\",\"os\":\"linux\"}]");
        assertThat(api.get("/distribution/" + plain.host() + "/dist/bb@" + m.group(1) + "/json").json()
                .path("Descriptor").path("digest").asText()).isEqualTo(m.group(1));
        Api.Response unknown = api.get("/distribution/" + plain.host() + "/dist/bb:404/json");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        docker.ok("rmi", ref);
    }

    @Test
    void pullStream_isDockersProgress_oneMessagePerChunk(Api api) throws IOException {
        skopeoPush(layout("ps", 1, 2_000_000, 4, true), plain, "ps/img:1");
        Api.Response r = api.send("POST", "/images/create?fromImage=" + plain.host() + "/ps/img&tag=1",
                Map.of("X-Registry-Auth", "e30="), null, Duration.ofSeconds(60));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).endsWith("\r\n");
        List<JsonNode> msgs = new ArrayList<>();
        for (String line : r.text().split("\r\n")) {
            msgs.add(Api.JSON.readTree(line));
        }
        List<String> statuses = msgs.stream().map(j -> j.path("status").asText()).toList();
        assertThat(statuses).contains("Pulling fs layer", "Downloading", "Verifying Checksum", "Download complete",
                "Extracting", "Pull complete");
        JsonNode downloading = msgs.stream().filter(j -> j.path("status").asText().equals("Downloading"))
                .findFirst().orElseThrow();
        assertThat(downloading.path("progressDetail").path("total").asLong()).isPositive();
        assertThat(downloading.path("id").asText()).hasSize(12);
        assertThat(statuses.get(statuses.size() - 2)).startsWith("Digest: sha256:");
        assertThat(statuses.getLast()).isEqualTo("Status: Downloaded newer image for " + plain.host() + "/ps/img:1");
        assertThat(api.delete("/images/" + plain.host() + "/ps/img:1").status()).isEqualTo(200);
    }

    @Test
    void errors_areDockers_andChangeNothing(Api api, DockerCli docker, WharfdProcess wharfd) throws IOException {
        CliResult unknownTag = docker.run("pull", plain.host() + "/sk/nope:404");
        assertThat(unknownTag.exitCode()).isEqualTo(1);
        assertThat(unknownTag.stderr()).contains("manifest for " + plain.host() + "/sk/nope:404 not found");
        CliResult unreachable = docker.run("pull", "127.0.0.1:1/x:1");
        // a loopback registry is insecure: its plain-HTTP endpoint is tried last, and named, as by Docker
        assertThat(unreachable.stderr()).contains("Get \"http://127.0.0.1:1/v2/")
                .contains("dial tcp 127.0.0.1:1: connect: connection refused");
        Api.Response bad = api.send("POST", "/images/create?fromImage=Bad/Name&tag=1", Map.of(), null,
                Duration.ofSeconds(10));
        assertThat(bad.status()).isEqualTo(400);
        // a blob whose bytes do not match its digest is refused and not kept
        skopeoPush(layout("mm", 1, 100_000, 5, true), plain, "mm/img:1");
        String blob = null;
        for (String line : LocalRegistry.skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + plain.host() + "/mm/img:1").split(",")) {
            Matcher m = DIGEST.matcher(line);
            if (m.find()) {
                blob = m.group();
            }
        }
        Path data = plain.blobData(blob);
        byte[] b = Files.readAllBytes(data);
        b[b.length / 2] ^= 0x55;
        Files.write(data, b);
        CliResult mismatch = docker.run("pull", plain.host() + "/mm/img:1");
        assertThat(mismatch.exitCode()).isNotZero();
        assertThat(mismatch.stdout() + mismatch.stderr()).contains("verification failed for digest " + blob);
        assertThat(wharfd.dataRoot().resolve("blobs/sha256").resolve(blob.substring(7))).doesNotExist();
        try (var s = Files.list(wharfd.dataRoot().resolve("ingest"))) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(docker.ok("images", "-q", plain.host() + "/mm/img").stdout()).isBlank();
    }

    @Test
    void basicAuth_loginPushPull(DockerCli docker, WharfCli wharf) {
        try (LocalRegistry r = LocalRegistry.start(new LocalRegistry.Options(true, null, false, null))) {
            String ref = r.host() + "/auth/bb:1";
            CliResult anon = docker.run("pull", ref);
            assertThat(anon.stderr()).contains("no basic auth credentials");
            CliResult wrong = docker.run(("nope\n").getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT,
                    "login", "-u", LocalRegistry.USER, "--password-stdin", r.host());
            assertThat(wrong.exitCode()).isEqualTo(1);
            assertThat(wrong.stderr()).contains("unauthorized");
            CliResult ok = docker.run((LocalRegistry.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8),
                    DockerCli.DEFAULT_TIMEOUT, "login", "-u", LocalRegistry.USER, "--password-stdin", r.host());
            assertThat(ok.stdout()).contains("Login Succeeded");
            docker.ok("tag", TestImages.BUSYBOX, ref);
            assertThat(docker.ok("push", ref).stdout()).contains("1: digest: sha256:");
            docker.ok("rmi", ref);
            assertThat(docker.ok("pull", ref).stdout()).contains("Downloaded newer image");
            docker.ok("rmi", ref);
            docker.ok("logout", r.host());
        }
    }

    /**
     * A fake {@code docker-credential-*} helper speaking the helpers' protocol (JSON on stdin and
     * stdout), keeping what it is given in files and logging each call.
     */
    private static final String HELPER = """
            #!/bin/sh
            dir=$(dirname "$0")/store
            mkdir -p "$dir"
            echo "$1" >> "$dir/calls"
            input=$(cat)
            case "$1" in
              store) printf '%s' "$input" > "$dir/creds" ;;
              get)
                if [ -f "$dir/creds" ] && grep -q "\\"ServerURL\\":\\"$input\\"" "$dir/creds"; then
                  cat "$dir/creds"
                else
                  echo "credentials not found in native keychain"; exit 1
                fi ;;
              erase) rm -f "$dir/creds" ;;
              list) echo '{}' ;;
              *) echo "unknown action $1"; exit 1 ;;
            esac
            """;

    @Test
    void credentialHelper_storesTheLogin_andServesPushAndPull(WharfCli wharf) throws IOException {
        try (LocalRegistry r = LocalRegistry.start(new LocalRegistry.Options(true, null, false, null))) {
            Path home = Files.createDirectories(work.resolve("cred-home"));
            Path bin = Files.createDirectories(home.resolve("bin"));
            Path helper = bin.resolve("docker-credential-wharftest");
            Files.writeString(helper, HELPER);
            helper.toFile().setExecutable(true);
            Path config = Files.createDirectories(home.resolve("config"));
            Files.writeString(config.resolve("config.json"), "{\"credHelpers\": {\"" + r.host() + "\": \"wharftest\"}}");
            Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString(),
                    "PATH", bin + ":" + System.getenv("PATH"));
            Duration t = DockerCli.DEFAULT_TIMEOUT;
            CliResult login = wharf.run(env, (LocalRegistry.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8), t,
                    "login", "-u", LocalRegistry.USER, "--password-stdin", r.host());
            assertThat(login.exitCode()).as(login.toString()).isZero();
            assertThat(login.stdout()).contains("Login Succeeded");
            Path store = bin.resolve("store");
            assertThat(Files.readString(store.resolve("creds"))).contains("\"Username\":\"" + LocalRegistry.USER + "\"")
                    .contains(LocalRegistry.PASSWORD);
            assertThat(Files.readString(config.resolve("config.json"))).doesNotContain(LocalRegistry.PASSWORD);

            String ref = r.host() + "/cred/bb:1";
            wharf.ok("tag", TestImages.BUSYBOX, ref);
            CliResult push = wharf.run(env, null, t, "push", ref);
            assertThat(push.exitCode()).as(push.toString()).isZero();
            wharf.ok("rmi", ref);
            CliResult pull = wharf.run(env, null, t, "pull", ref);
            assertThat(pull.exitCode()).as(pull.toString()).isZero();
            assertThat(pull.stdout()).contains("Status: Downloaded newer image for " + ref);
            assertThat(Files.readAllLines(store.resolve("calls"))).contains("store", "get");

            CliResult logout = wharf.run(env, null, t, "logout", r.host());
            assertThat(logout.exitCode()).as(logout.toString()).isZero();
            assertThat(store.resolve("creds")).doesNotExist();
            wharf.ok("rmi", ref);
            CliResult anonymous = wharf.run(env, null, t, "pull", ref);
            assertThat(anonymous.exitCode()).isNotZero();
            assertThat(anonymous.stderr()).contains("no basic auth credentials");
        }
    }

    @Test
    void info_showsTheInsecureRegistriesAndMirrors(Api api) throws IOException {
        JsonNode cfg = Api.JSON.readTree(api.get("/info").text()).path("RegistryConfig");
        assertThat(cfg.path("InsecureRegistryCIDRs").toString()).isEqualTo("[\"::1/128\",\"127.0.0.0/8\",\"10.99.0.0/16\"]");
        assertThat(cfg.path("IndexConfigs").path("insecure.example:5000").toString())
                .isEqualTo("{\"Name\":\"insecure.example:5000\",\"Mirrors\":[],\"Secure\":false,\"Official\":false}");
        assertThat(cfg.path("IndexConfigs").path("docker.io").path("Mirrors").toString())
                .isEqualTo("[\"http://127.0.0.1:9/\"]");
        assertThat(cfg.path("IndexConfigs").path("docker.io").path("Official").asBoolean()).isTrue();
        assertThat(cfg.path("Mirrors").toString()).isEqualTo("[\"http://127.0.0.1:9/\"]");
    }

    @Test
    void tls_withTheTestCaAndAClientCertificate_andATlsFailure(DockerCli docker) throws IOException {
        TestCa ca = TestCa.create("wharf-it-ca");
        try (LocalRegistry r = LocalRegistry.start(new LocalRegistry.Options(false, ca, true, null));
                LocalRegistry wrong = LocalRegistry.start(new LocalRegistry.Options(false, TestCa.create("other"),
                        false, null))) {
            Path dir = Path.of(CERTS, r.host());
            Files.createDirectories(dir);
            Files.copy(ca.caCert(), dir.resolve("ca.crt"));
            ca.issueClient(dir.resolve("client.cert"), dir.resolve("client.key"));
            Path wrongDir = Path.of(CERTS, wrong.host());
            Files.createDirectories(wrongDir);
            Files.copy(ca.caCert(), wrongDir.resolve("ca.crt"));
            String ref = r.host() + "/tls/bb:1";
            docker.ok("tag", TestImages.BUSYBOX, ref);
            assertThat(docker.ok("push", ref).stdout()).contains("1: digest: sha256:");
            docker.ok("rmi", ref);
            assertThat(docker.ok("pull", ref).stdout()).contains("Downloaded newer image");
            docker.ok("rmi", ref);
            CliResult fail = docker.run("pull", wrong.host() + "/tls/bb:1");
            assertThat(fail.exitCode()).isEqualTo(1);
            assertThat(fail.stderr()).contains("https://" + wrong.host()).contains("tls:")
                    .contains("certificate signed by unknown authority");
        }
    }

    @Test
    void tokenServer_loginPushPull_reusesTokens(DockerCli docker) {
        try (TokenServer tokens = TokenServer.start();
                LocalRegistry r = LocalRegistry.start(new LocalRegistry.Options(false, null, false, tokens))) {
            String ref = r.host() + "/tok/bb:1";
            CliResult ok = docker.run((LocalRegistry.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8),
                    DockerCli.DEFAULT_TIMEOUT, "login", "-u", LocalRegistry.USER, "--password-stdin", r.host());
            assertThat(ok.stdout()).as(ok.toString()).contains("Login Succeeded");
            docker.ok("tag", TestImages.BUSYBOX, ref);
            assertThat(docker.ok("push", ref).stdout()).contains("1: digest: sha256:");
            docker.ok("rmi", ref);
            int before = tokens.issued();
            assertThat(docker.ok("pull", ref).stdout()).contains("Downloaded newer image");
            assertThat(tokens.issued() - before).as("tokens fetched for one pull").isLessThanOrEqualTo(1);
            docker.ok("rmi", ref);
        }
    }

    @Test
    void wharfCli_pullPushLogin(WharfCli wharf, DockerCli docker) {
        skopeoPush(layout("wc", 1, 100_000, 6, true), plain, "wc/img:1");
        String ref = plain.host() + "/wc/img:1";
        CliResult pull = wharf.ok("pull", ref);
        assertThat(pull.stdout()).contains("Pull complete", "Status: Downloaded newer image for " + ref, ref);
        assertThat(wharf.ok("pull", "-q", ref).stdout().strip()).isEqualTo(ref);
        wharf.ok("tag", ref, plain.host() + "/wc/copy:2");
        assertThat(wharf.ok("push", plain.host() + "/wc/copy:2").stdout()).contains("2: digest: sha256:");
        wharf.ok("rmi", ref, plain.host() + "/wc/copy:2");
        CliResult never = wharf.run("run", "--rm", "--pull", "never", ref, "true");
        assertThat(never.exitCode()).isEqualTo(125);
        assertThat(never.stderr()).contains("No such image");
        CliResult run = wharf.run("run", "--rm", ref, "sh", "-c", "echo pulled-and-ran");
        assertThat(run.stderr()).contains("Unable to find image '" + ref + "' locally");
        assertThat(run.stdout()).contains("pulled-and-ran");
        wharf.ok("rmi", ref);
    }

    @Test
    void killedMidPull_leavesNoImage_andTheNextPullReusesVerifiedBlobs(WharfdProcess wharfd, Api api)
            throws IOException {
        skopeoPush(layout("big", 4, 12_000_000, 7, true), plain, "big/img:1");
        String path = "/images/create?fromImage=" + plain.host() + "/big/img&tag=1";
        List<String> done = new ArrayList<>();
        try (Api.Stream s = openPull(api, path)) {
            for (String line = s.readLine(); line != null; line = s.readLine()) {
                JsonNode j = Api.JSON.readTree(line);
                if (j.path("status").asText().equals("Download complete")) {
                    done.add(j.path("id").asText());
                    break;
                }
            }
        }
        wharfd.kill9();
        assertThat(done).isNotEmpty();
        wharfd.startAgain();
        assertThat(api.get("/images/" + plain.host() + "/big/img:1/json").status()).isEqualTo(404);
        Api.Response again = api.send("POST", path, Map.of(), null, Duration.ofSeconds(120));
        assertThat(again.text()).contains("Status: Downloaded newer image for " + plain.host() + "/big/img:1");
        for (String line : again.text().split("\r\n")) {
            JsonNode j = Api.JSON.readTree(line);
            if (j.path("id").asText().equals(done.getFirst())) {
                assertThat(j.path("status").asText()).as("the blob verified before the kill is not fetched again")
                        .isNotEqualTo("Downloading");
            }
        }
        assertThat(api.delete("/images/" + plain.host() + "/big/img:1").status()).isEqualTo(200);
    }

    /** Starts a pull through the API and returns its progress stream once the headers are in. */
    private static Api.Stream openPull(Api api, String path) throws IOException {
        return api.open("POST", path, Map.of(), null, Duration.ofSeconds(60));
    }

    /** Reads the progress stream until a message with {@code status}; false when it ended first. */
    private static boolean readUntil(Api.Stream s, String status) throws IOException {
        for (String line = s.readLine(); line != null; line = s.readLine()) {
            if (Api.JSON.readTree(line).path("status").asText().equals(status)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aPullWhoseClientGoesAway_stopsItsDownloads_andLeavesNoImage(Api api) throws Exception {
        skopeoPush(layout("gone", 2, 8_000_000, 11, true), plain, "gone/img:1");
        try (SlowProxy proxy = SlowProxy.start(plain.port(), 1_000_000)) {
            String ref = proxy.host() + "/gone/img";
            String path = "/images/create?fromImage=" + ref + "&tag=1";
            try (Api.Stream s = openPull(api, path)) {
                assertThat(readUntil(s, "Downloading")).isTrue();
            } // the client goes away with about 15 MB to go, 8 s at this rate
            long passed = proxy.awaitQuiet(1500, 30_000);
            assertThat(passed).as("the downloads stopped with their client").isLessThan(12_000_000);
            assertThat(api.get("/images/" + ref + ":1/json").status()).isEqualTo(404);

            proxy.rate(Long.MAX_VALUE);
            Api.Response again = api.send("POST", path, Map.of(), null, Duration.ofSeconds(120));
            assertThat(again.text()).contains("Status: Downloaded newer image for " + ref + ":1");
            assertThat(api.delete("/images/" + ref + ":1").status()).isEqualTo(200);
        }
    }

    @Test
    void aDownloadTwoPullsShare_goesOnWhenOneOfTheirClientsGoesAway(Api api) throws Exception {
        skopeoPush(layout("shared", 1, 4_000_000, 12, true), plain, "shared/img:1");
        try (SlowProxy proxy = SlowProxy.start(plain.port(), 1_000_000)) {
            String ref = proxy.host() + "/shared/img";
            String path = "/images/create?fromImage=" + ref + "&tag=1";
            try (Api.Stream stays = openPull(api, path)) {
                assertThat(readUntil(stays, "Downloading")).isTrue();
                try (Api.Stream leaves = openPull(api, path)) {
                    assertThat(readUntil(leaves, "Downloading")).as("the second pull joined the download").isTrue();
                }
                StringBuilder rest = new StringBuilder();
                for (String line = stays.readLine(); line != null; line = stays.readLine()) {
                    rest.append(line).append('\n');
                }
                assertThat(rest).contains("Status: Downloaded newer image for " + ref + ":1");
            }
            assertThat(api.delete("/images/" + ref + ":1").status()).isEqualTo(200);
        }
    }

    @Test
    void aPushWhoseClientGoesAway_stops_andTheRegistryGetsNoManifest(Api api) throws Exception {
        skopeoPush(layout("pushsrc", 2, 8_000_000, 13, true), plain, "pushsrc/img:1");
        String source = plain.host() + "/pushsrc/img:1";
        assertThat(api.send("POST", "/images/create?fromImage=" + plain.host() + "/pushsrc/img&tag=1", Map.of(), null,
                Duration.ofSeconds(120)).text()).contains("Status: Downloaded newer image");
        try (SlowProxy proxy = SlowProxy.start(plain.port(), 1_000_000)) {
            String target = proxy.host() + "/pushed/img";
            assertThat(api.post("/images/" + source + "/tag?repo=" + target + "&tag=1").status()).isEqualTo(201);
            try (Api.Stream s = api.open("POST", "/images/" + target + "/push?tag=1", Map.of("X-Registry-Auth", "e30="),
                    null, Duration.ofSeconds(60))) {
                assertThat(readUntil(s, "Pushing")).isTrue();
            } // the client goes away with about 15 MB to go, 8 s at this rate
            long passed = proxy.awaitQuiet(1500, 30_000);
            assertThat(passed).as("the uploads stopped with their client").isLessThan(12_000_000);
            java.net.http.HttpResponse<String> manifest = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + plain.host()
                            + "/v2/pushed/img/manifests/1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(manifest.statusCode()).as("the registry has no manifest of the push").isEqualTo(404);
            assertThat(api.delete("/images/" + target + ":1").status()).isEqualTo(200);
        }
        assertThat(api.delete("/images/" + source).status()).isEqualTo(200);
    }

    @Test
    void aBuildThatPullsItsBaseImage_showsThePullsProgress_asDockerPullDoes(DockerCli docker, WharfCli wharf) throws IOException {
        skopeoPush(layout("bp", 2, 200_000, 21, true), plain, "bp/img:1");
        String base = plain.host() + "/bp/img:1";
        Path ctx = Files.createDirectories(work.resolve("ctx-bp"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nRUN true\n");
        try {
            CliResult built = docker.ok("build", "-t", "bp/built:1", ctx.toString());
            assertThat(built.stdout()).contains("1: Pulling from bp/img", "Pull complete",
                    "Status: Downloaded newer image for " + base, "Successfully tagged bp/built:1");
            assertThat(built.stdout().indexOf("Pull complete")).isLessThan(built.stdout().indexOf("Step 2/2"));
            docker.ok("rmi", "bp/built:1", base);

            CliResult byWharf = wharf.ok("build", "-t", "bp/built:2", ctx.toString());
            assertThat(byWharf.stdout()).contains("1: Pulling from bp/img", "Pull complete",
                    "Successfully tagged bp/built:2");
            docker.ok("rmi", "bp/built:2", base);

            CliResult quiet = docker.ok("build", "-q", "-t", "bp/built:3", ctx.toString());
            assertThat(quiet.stdout().strip()).startsWith("sha256:").doesNotContain("Pull");
        } finally {
            docker.run("rmi", "bp/built:1", "bp/built:2", "bp/built:3", base);
        }
    }

    @Test
    void aBuildWhoseClientGoesAway_stopsPullingItsBaseImage(Api api, DockerCli docker) throws Exception {
        skopeoPush(layout("base", 2, 8_000_000, 14, true), plain, "base/img:1");
        try (SlowProxy proxy = SlowProxy.start(plain.port(), 1_000_000)) {
            String base = proxy.host() + "/base/img:1";
            Path ctx = Files.createDirectories(work.resolve("ctx-base"));
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nRUN true\n");
            try (CliSession client = docker.start("build", "-t", "never/built:1", ctx.toString())) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> proxy.passed() > 1_500_000);
                client.kill9();
            } // the client goes away with about 14 MB of its base image to go
            long passed = proxy.awaitQuiet(1500, 30_000);
            assertThat(passed).as("the base image's downloads stopped with the build").isLessThan(12_000_000);
            assertThat(api.get("/images/" + base + "/json").status()).isEqualTo(404);
            assertThat(api.get("/images/never/built:1/json").status()).isEqualTo(404);
        }
    }
}
