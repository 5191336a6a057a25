package dev.wharf.it.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The test image: a rootfs with busybox-static and one symlink per applet in /bin, plus
 * /etc/passwd (root, app 1000, nobody 65534), /etc/group and /tmp (1777). Built in Java, once
 * per JVM, with fixed timestamps so its image ID is the same on every run.
 */
public final class TestImages {

    public static final String BUSYBOX = "wharf-test/busybox:latest";
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");
    private static final Date EPOCH = new Date(1_700_000_000_000L);
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");

    private static Path cachedTar;

    private TestImages() {
    }

    /** The busybox rootfs tar, written once per JVM to a temporary file. */
    public static synchronized Path busyboxTar() {
        if (cachedTar == null) {
            try {
                Path tar = Files.createTempFile("wharf-it-busybox-", ".tar");
                tar.toFile().deleteOnExit();
                try (OutputStream out = Files.newOutputStream(tar)) {
                    writeBusyboxRootfs(out);
                }
                cachedTar = tar;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cachedTar;
    }

    public static byte[] busyboxTarBytes() {
        try {
            return Files.readAllBytes(busyboxTar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the busybox rootfs as an uncompressed tar. */
    public static void writeBusyboxRootfs(OutputStream out) throws IOException {
        List<String> applets = applets();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String dir : List.of("bin", "dev", "etc", "home", "proc", "sys", "usr", "usr/bin", "usr/sbin",
                    "sbin", "var", "var/spool", "var/log")) {
                directory(tar, dir, 0755, 0);
            }
            directory(tar, "home/app", 0755, 1000);
            directory(tar, "root", 0700, 0);
            directory(tar, "tmp", 01777, 0);
            file(tar, "bin/busybox", Files.readAllBytes(BUSYBOX_BINARY), 0755);
            for (String applet : applets) {
                if (applet.equals("busybox") || applet.contains("/")) continue;
                symlink(tar, "bin/" + applet, "busybox");
            }
            file(tar, "etc/passwd", """
                    root:x:0:0:root:/root:/bin/sh
                    app:x:1000:1000:app:/home/app:/bin/sh
                    nobody:x:65534:65534:nobody:/home:/bin/false
                    """.getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", """
                    root:x:0:
                    app:x:1000:
                    nogroup:x:65534:
                    """.getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/shadow", "root:*:19000:0:99999:7:::\napp:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"
                    .getBytes(StandardCharsets.UTF_8), 0600);
            tar.finish();
        }
    }

    /** {@code busybox --list}, sorted. */
    static List<String> applets() throws IOException {
        CliResult result = ProcessRunner.run(List.of(BUSYBOX_BINARY.toString(), "--list"), Map.of(), null, Duration.ofSeconds(10));
        if (result.exitCode() != 0) throw new IOException("busybox --list failed: " + result);
        return new ArrayList<>(new TreeSet<>(result.lines()));
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode, int owner) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        e.setMode(040000 | mode);
        own(e, owner);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        own(e, 0);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        own(e, 0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void own(TarArchiveEntry e, int id) {
        e.setUserId(id);
        e.setGroupId(id);
        e.setUserName(id == 0 ? "root" : id == 1000 ? "app" : "");
        e.setGroupName(id == 0 ? "root" : id == 1000 ? "app" : "");
        e.setModTime(EPOCH);
    }

    /** Imports the busybox rootfs as {@link #BUSYBOX} with {@code CMD ["sh"]}; returns the image ID. */
    public static String importBusybox(Api api) {
        return importTar(api, busyboxTarBytes(), "wharf-test/busybox", "latest",
                List.of("ENV PATH=" + DEFAULT_PATH, "CMD [\"sh\"]"));
    }

    /**
     * {@code POST /images/create?fromSrc=-&repo=…&tag=…&changes=…} with the tar as the body;
     * returns the {@code sha256:…} ID from the progress stream.
     */
    public static String importTar(Api api, byte[] tar, String repo, String tag, List<String> changes) {
        StringBuilder path = new StringBuilder("/images/create?fromSrc=-&repo=").append(Api.q(repo)).append("&tag=").append(Api.q(tag));
        for (String change : changes) path.append("&changes=").append(Api.q(change));
        Api.Response response = api.send("POST", path.toString(), Map.of("Content-Type", "application/x-tar"), tar, Duration.ofSeconds(120));
        if (response.status() != 200) throw new AssertionError("import of " + repo + ":" + tag + " failed: " + response);
        String id = null;
        for (String line : response.text().split("\r?\n")) {
            if (line.isBlank()) continue;
            JsonNode message;
            try {
                message = Api.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("import progress is not JSON lines: " + response.text(), e);
            }
            if (message.hasNonNull("error") || message.hasNonNull("errorDetail")) {
                throw new AssertionError("import of " + repo + ":" + tag + " failed: " + line);
            }
            Matcher m = IMAGE_ID.matcher(message.path("status").asText());
            if (m.find()) id = m.group();
        }
        if (id == null) throw new AssertionError("import stream carries no sha256 image ID: " + response.text());
        return id;
    }

    /** Writes {@link #writeBusyboxRootfs} to a byte array (for tests that build variants). */
    public static byte[] busyboxRootfs() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeBusyboxRootfs(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
