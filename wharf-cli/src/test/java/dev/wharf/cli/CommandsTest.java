package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.client.fake.FakeDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    private FakeDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        daemon = new FakeDaemon();
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    @Test
    void rm_printsOneErrorLinePerFailureAndExits1() {
        daemon.on("DELETE /containers/good", (req, ex) -> ex.empty(204));
        daemon.on(r -> r.method().equals("DELETE"), (req, ex) ->
                ex.error(404, "No such container: " + req.path().substring("/containers/".length())));
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "rm", "-f", "nosuch", "good", "other");
        assertThat(r.out()).isEqualTo("good\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: nosuch\n"
                + "Error response from daemon: No such container: other\n");
        assertThat(r.code()).isEqualTo(1);
        assertThat(daemon.requests().getLast().query()).isEqualTo("force=1");
    }

    @Test
    void inspect_triesContainersThenImagesAndIndentsLikeDocker() {
        daemon.on("GET /containers/bb/json", (req, ex) -> ex.error(404, "No such container: bb"));
        daemon.on("GET /images/bb/json", (req, ex) -> ex.json(200, "{\"Id\":\"sha256:1\",\"RepoTags\":[\"bb:latest\"]}"));
        daemon.on("GET /containers/x/json", (req, ex) -> ex.error(404, "No such container: x"));
        daemon.on("GET /images/x/json", (req, ex) -> ex.error(404, "No such image: x"));
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "inspect", "bb", "x");
        assertThat(r.out()).isEqualTo("""
                [
                    {
                        "Id": "sha256:1",
                        "RepoTags": [
                            "bb:latest"
                        ]
                    }
                ]
                """);
        assertThat(r.err()).isEqualTo("Error: No such object: x\n");
        assertThat(r.code()).isEqualTo(1);
    }

    @Test
    void inspect_format() {
        daemon.on("GET /containers/web/json", (req, ex) -> ex.json(200,
                "{\"Id\":\"abc\",\"State\":{\"Running\":true},\"Config\":{\"Labels\":{\"a\":\"b\"}}}"));
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "inspect", "-f",
                "{{.State.Running}} {{json .Config.Labels}}", "web");
        assertThat(r.out()).isEqualTo("true {\"a\":\"b\"}\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void wait_printsEachExitCode() {
        daemon.on(req -> req.path().endsWith("/wait"), (req, ex) -> ex.json(200,
                "{\"Error\":null,\"StatusCode\":" + (req.path().contains("/a/") ? 0 : 137) + "}"));
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "wait", "a", "b");
        assertThat(r.out()).isEqualTo("0\n137\n");
    }

    @Test
    void images_tableAndQuiet() {
        daemon.on("GET /images/json", (req, ex) -> ex.json(200, "[{\"Id\":\"sha256:" + "ab".repeat(32)
                + "\",\"RepoTags\":[\"busybox:latest\",\"bb:1\"],\"Created\":1,\"Size\":4261550,\"Containers\":-1,"
                + "\"SharedSize\":-1},{\"Id\":\"sha256:" + "cd".repeat(32) + "\",\"RepoTags\":[],\"Created\":2,"
                + "\"Size\":512}]"));
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "images", "--format",
                "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.Size}}");
        assertThat(r.out()).isEqualTo("""
                REPOSITORY   TAG       IMAGE ID       SIZE
                busybox      latest    abababababab   4.26MB
                bb           1         abababababab   4.26MB
                <none>       <none>    cdcdcdcdcdcd   512B
                """);
        assertThat(CliHarness.run(daemon.address(), "", "images", "-q").out())
                .isEqualTo("abababababab\ncdcdcdcdcdcd\n");
    }

    @Test
    void import_sendsTarAndPrintsImageId() {
        daemon.on("POST /images/create", (req, ex) -> {
            ex.chunkedHead("application/json");
            ex.chunk("{\"status\":\"sha256:" + "e".repeat(64) + "\"}\r\n");
            ex.endChunks();
        });
        CliHarness.Result r = CliHarness.run(daemon.address(), "TARDATA", "import", "-c", "CMD [\"sh\"]", "-",
                "wr/imp:1");
        assertThat(r.out()).isEqualTo("sha256:" + "e".repeat(64) + "\n");
        assertThat(daemon.requests().getLast().bodyText()).isEqualTo("TARDATA");
        assertThat(daemon.requests().getLast().query()).startsWith("fromSrc=-&repo=wr%2Fimp%3A1&changes=");
    }

    @Test
    void saveAndExport_writeTheWholeTarToTheFileOrFailBeforeAskingTheDaemon(@TempDir Path dir) throws Exception {
        daemon.on("GET /images/get", (req, ex) -> {
            ex.chunkedHead("application/x-tar");
            ex.chunk("IMAGETAR");
            ex.endChunks();
        });
        daemon.on("GET /containers/c1/export", (req, ex) -> {
            ex.chunkedHead("application/x-tar");
            ex.chunk("ROOTFSTAR");
            ex.endChunks();
        });
        Path image = dir.resolve("image.tar");
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "save", "-o", image.toString(), "bb:1");
        assertThat(r.code()).isZero();
        assertThat(Files.readString(image)).isEqualTo("IMAGETAR");
        r = CliHarness.run(daemon.address(), "", "export", "--output", dir.resolve("rootfs.tar").toString(), "c1");
        assertThat(r.code()).isZero();
        assertThat(Files.readString(dir.resolve("rootfs.tar"))).isEqualTo("ROOTFSTAR");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("image.tar", "rootfs.tar");
        r = CliHarness.run(daemon.address(), "", "export", "c1");
        assertThat(r.out()).isEqualTo("ROOTFSTAR");
        int asked = daemon.requests().size();

        r = CliHarness.run(daemon.address(), "", "save", "-o", dir.resolve("nosuch/x.tar").toString(), "bb:1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("failed to save image: invalid output path: directory \""
                + dir.resolve("nosuch") + "\" does not exist\n");
        r = CliHarness.run(daemon.address(), "", "export", "-o", dir.toString(), "c1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("failed to export container: invalid output path: \"" + dir
                + "\" must be a regular file\n");
        assertThat(daemon.requests()).hasSize(asked);
    }

    @Test
    void deadSocket_failsFastWithDockerWording() {
        CliHarness.Result r = CliHarness.run("unix:///nonexistent/wharf.sock", "", "ps");
        assertThat(r.err()).isEqualTo("Cannot connect to the Wharf daemon at unix:///nonexistent/wharf.sock."
                + " Is the wharf daemon running?\n");
        assertThat(r.code()).isEqualTo(1);
    }

    @Test
    void usageErrors() {
        CliHarness.Result r = CliHarness.run(null, "", "rm");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("wharf: 'wharf rm' requires at least 1 argument\n\nUsage:  wharf rm [OPTIONS]");
        r = CliHarness.run(null, "", "ps", "--bogus");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).startsWith("unknown flag: --bogus\n");
        r = CliHarness.run(null, "", "nosuch");
        assertThat(r.code()).isEqualTo(1);
        r = CliHarness.run(null, "", "ps", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage:  wharf ps [OPTIONS]\n\nList containers\n");
    }
}
