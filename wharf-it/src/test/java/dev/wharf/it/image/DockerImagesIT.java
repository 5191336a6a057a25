package dev.wharf.it.image;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfIT;
import org.junit.jupiter.api.Test;

/** {@code docker images}, {@code tag}, {@code rmi} and {@code import}. */
@WharfIT
class DockerImagesIT {

    @Test
    void images_listsTheImportedImage(DockerCli docker) {
        String id = docker.ok("image", "inspect", "--format", "{{.Id}}", BUSYBOX).out();
        assertThat(id).matches("sha256:[0-9a-f]{64}");

        CliResult images = docker.ok("images");

        assertThat(images.lines().getFirst()).matches("REPOSITORY\\s{3,}TAG\\s{3,}IMAGE ID\\s{3,}CREATED\\s{3,}SIZE");
        assertThat(images.lines()).anySatisfy(line ->
                assertThat(line).matches("wharf-test/busybox\\s+latest\\s+" + id.substring(7, 19) + "\\s+.+\\s+\\d+(\\.\\d+)?[kMG]?B"));
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines()).contains(BUSYBOX);
        assertThat(docker.ok("images", "-q", BUSYBOX).out()).isEqualTo(id.substring(7, 19));
    }

    @Test
    void tag_addsAName_andRmiOfOneOfTwoNamesOnlyUntags(DockerCli docker) {
        String repo = "wharf-test/" + Names.unique("tag");
        String id = docker.ok("image", "inspect", "--format", "{{.Id}}", BUSYBOX).out();

        CliResult tag = docker.run("tag", BUSYBOX, repo + ":v1");

        assertThat(tag.exitCode()).as(tag.toString()).isZero();
        assertThat(docker.ok("image", "inspect", "--format", "{{.Id}}", repo + ":v1").out()).isEqualTo(id);
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").lines())
                .contains(repo + ":v1 " + id.substring(7, 19), BUSYBOX + " " + id.substring(7, 19));

        CliResult rmi = docker.run("rmi", repo + ":v1");

        assertThat(rmi.exitCode()).as(rmi.toString()).isZero();
        assertThat(rmi.out()).isEqualTo("Untagged: " + repo + ":v1");
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines()).doesNotContain(repo + ":v1").contains(BUSYBOX);
    }

    @Test
    void import_withChange_setsTheDefaultCommand(DockerCli docker) {
        String ref = "wharf-test/" + Names.unique("imp") + ":1";
        try {
            CliResult imported = docker.run("import", "--change", "CMD [\"echo\",\"x\"]", TestImages.busyboxTar().toString(), ref);

            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            assertThat(imported.out()).matches("sha256:[0-9a-f]{64}");
            assertThat(docker.ok("image", "inspect", "--format", "{{json .Config.Cmd}}", ref).out()).isEqualTo("[\"echo\",\"x\"]");
            CliResult run = docker.run("run", "--rm", ref);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("x\n");
        } finally {
            docker.run("rmi", "-f", ref);
        }
    }

    @Test
    void rmi_isRefusedWhileAContainerUsesTheImage_andWorksAfterRm(DockerCli docker) {
        String ref = importUnique(docker, "rmi");
        String container = Names.unique("user");
        docker.ok("create", "--name", container, ref, "true");

        CliResult refused = docker.run("rmi", ref);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr())
                .startsWith("Error response from daemon: conflict: unable to remove repository reference \"" + ref + "\" (must force) - container ")
                .contains(" is using its referenced image ");
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines()).contains(ref);

        docker.ok("rm", container);
        CliResult rmi = docker.run("rmi", ref);

        assertThat(rmi.exitCode()).as(rmi.toString()).isZero();
        assertThat(rmi.stdout()).contains("Untagged: " + ref).containsPattern("Deleted: sha256:[0-9a-f]{64}");
        assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines()).doesNotContain(ref);
    }

    @Test
    void rmiForce_untagsAnImageAContainerUses(DockerCli docker) {
        String ref = importUnique(docker, "rmif");
        String id = docker.ok("image", "inspect", "--format", "{{.Id}}", ref).out();
        String container = Names.unique("user");
        docker.ok("create", "--name", container, ref, "true");
        try {
            CliResult rmi = docker.run("rmi", "-f", ref);

            assertThat(rmi.exitCode()).as(rmi.toString()).isZero();
            assertThat(rmi.stdout()).contains("Untagged: " + ref);
            assertThat(docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines()).doesNotContain(ref);
            assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).contains(container);
        } finally {
            docker.run("rm", "-f", container);
            docker.run("rmi", id);
        }
    }

    @Test
    void rmi_unknownImage_saysNoSuchImage(DockerCli docker) {
        CliResult rmi = docker.run("rmi", "wharf-test/nosuch:1");

        assertThat(rmi.exitCode()).isEqualTo(1);
        assertThat(rmi.stderr().strip()).isEqualTo("Error response from daemon: No such image: wharf-test/nosuch:1");
    }

    /** Imports the busybox rootfs under a new name with a unique label, so it has an image ID of its own. */
    private static String importUnique(DockerCli docker, String what) {
        String name = Names.unique(what);
        String ref = "wharf-test/" + name + ":1";
        docker.ok("import", "--change", "LABEL it=" + name, "--change", "CMD [\"sh\"]", TestImages.busyboxTar().toString(), ref);
        return ref;
    }
}
