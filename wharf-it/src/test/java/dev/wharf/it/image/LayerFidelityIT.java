package dev.wharf.it.image;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.nio.ByteBuffer;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container changed survives commit, and then save and load: deletions (whiteouts),
 * device nodes, FIFOs, setuid bits, ownership, and extended attributes.
 */
@WharfIT
class LayerFidelityIT {

    private static final String CHECK = "ls -lnd /tmp/nulldev /tmp/fifo /tmp/suid; ls /etc/group 2>&1; exit 0";

    @Test
    void commitThenSaveAndLoad_keepsWhiteoutsDevicesFifosModesAndXattrs(DockerCli docker, @TempDir Path tmp)
            throws Exception {
        String name = Names.unique("fidelity");
        String image = "wharf-test/fidelity:" + Names.unique("t");
        try {
            docker.ok("run", "--name", name, BUSYBOX, "sh", "-c",
                    "mknod /tmp/nulldev c 1 3 && mkfifo /tmp/fifo && cp /bin/busybox /tmp/suid && "
                            + "chmod 4755 /tmp/suid && chown 1000:1000 /tmp/fifo && rm /etc/group");
            // A file with an extended attribute, copied in as a PAX tar (busybox has no setfattr).
            var cpIn = docker.run(tarWithXattr(), DockerCli.DEFAULT_TIMEOUT, "cp", "-", name + ":/tmp");
            assertThat(cpIn.exitCode()).as(cpIn.toString()).isZero();
            docker.ok("commit", name, image);

            String expected = docker.ok("run", "--rm", image, "sh", "-c", CHECK).stdout();
            assertThat(expected).matches("(?s)prw-r--r-- +1 1000 +1000 +0 .*/tmp/fifo\\n"
                    + "crw-r--r-- +1 0 +0 +1, +3 .*/tmp/nulldev\\n"
                    + "-rwsr-xr-x +1 0 +0 +\\d+ .*/tmp/suid\\n"
                    + "ls: /etc/group: No such file or directory\\n");

            Path archive = tmp.resolve("fidelity.tar");
            docker.ok("save", "-o", archive.toString(), image);
            docker.ok("rm", "-f", name);
            docker.ok("rmi", image);
            assertThat(docker.ok("load", "-i", archive.toString()).out()).isEqualTo("Loaded image: " + image);

            assertThat(docker.ok("run", "--rm", image, "sh", "-c", CHECK).stdout()).isEqualTo(expected);
            assertThat(xattrOf(docker, image, tmp)).isEqualTo("kept");
        } finally {
            docker.run("rm", "-f", name);
            docker.run("rmi", "-f", image);
        }
    }

    /** A tar holding one file {@code x.txt} with the xattr {@code user.wharf=kept}. */
    private static byte[] tarWithXattr() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            byte[] data = "x\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("x.txt");
            e.setSize(data.length);
            e.setMode(0644);
            e.addPaxHeader("SCHILY.xattr.user.wharf", "kept");
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** Copies x.txt out of a container of {@code image} with docker cp and reads the xattr on the host. */
    private static String xattrOf(DockerCli docker, String image, Path tmp) throws Exception {
        String ctr = docker.ok("create", image, "true").out();
        try {
            Path out = tmp.resolve("out");
            Files.createDirectories(out);
            docker.ok("cp", ctr + ":/tmp/x.txt", out.toString());
            UserDefinedFileAttributeView view = Files.getFileAttributeView(out.resolve("x.txt"),
                    UserDefinedFileAttributeView.class);
            ByteBuffer b = ByteBuffer.allocate(64);
            view.read("wharf", b);
            b.flip();
            return StandardCharsets.UTF_8.decode(b).toString();
        } finally {
            docker.run("rm", "-f", ctr);
        }
    }
}
