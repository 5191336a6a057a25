package dev.wharf.it.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.LocalRegistry;
import dev.wharf.it.kit.OciImages;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A wharfd with {@code --registry-mirror} pointing at Debian's docker-registry on 127.0.0.1, the
 * way a machine without access to Docker Hub gets its official images: Hub names are pulled from
 * the mirror, a single tag and every tag of a repository alike. Docker Hub itself is not reachable
 * from the test machine, so whatever the mirror does not serve fails.
 */
class RegistryMirrorIT {

    private static LocalRegistry mirror;
    private static WharfdProcess wharfd;
    private static DockerCli docker;
    private static Path work;

    @BeforeAll
    static void start() throws IOException {
        mirror = LocalRegistry.start(LocalRegistry.Options.plain());
        work = TempPaths.dir("wharf-it-mirror-work-");
        for (String tag : List.of("1", "2")) {
            Path dir = work.resolve("img" + tag);
            OciImages.write(dir, tag, 1, 100_000, tag.hashCode(), true);
            LocalRegistry.skopeo("copy", "-q", "--dest-tls-verify=false", "oci:" + dir + ":" + tag,
                    "docker://" + mirror.host() + "/library/wharfmirrored:" + tag);
        }
        wharfd = WharfdProcess.start(List.of("--registry-mirror", "http://" + mirror.host()));
        docker = new DockerCli(wharfd.socket());
    }

    @AfterAll
    static void stop() throws InterruptedException, IOException {
        if (wharfd != null) {
            wharfd.close();
        }
        if (mirror != null) {
            mirror.close();
        }
        new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }

    @Test
    void officialImage_isPulledFromTheMirror_underItsHubName() {
        CliResult pull = docker.ok("pull", "wharfmirrored:1");
        assertThat(pull.stdout()).contains("Pull complete", "Status: Downloaded newer image for wharfmirrored:1");
        assertThat(docker.ok("run", "--rm", "wharfmirrored:1", "sh", "-c", "ls /data").stdout()).contains("file1-");
        docker.ok("rmi", "wharfmirrored:1");
    }

    @Test
    void allTags_areListedByTheMirror() {
        CliResult pull = docker.ok("pull", "--all-tags", "wharfmirrored");
        assertThat(pull.stdout()).contains("1: Pulling from library/wharfmirrored",
                "2: Pulling from library/wharfmirrored");
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}", "wharfmirrored").stdout().lines()
                .sorted().toList()).containsExactly("wharfmirrored:1", "wharfmirrored:2");
        docker.ok("rmi", "wharfmirrored:1", "wharfmirrored:2");
    }

    @Test
    void aTagTheMirrorLacks_failsWithoutAnImage() {
        CliResult pull = docker.run("pull", "wharfmirrored:missing");
        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.stderr()).contains("wharfmirrored");
        assertThat(docker.ok("images", "-q", "wharfmirrored:missing").stdout()).isEmpty();
    }
}
