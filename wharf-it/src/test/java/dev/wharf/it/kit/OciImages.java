package dev.wharf.it.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Images of several layers written as an OCI image layout ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/}), for skopeo to push: layer {@code i} holds {@code /data/file<i>} of
 * pseudo-random (incompressible) bytes from a fixed seed, plus the busybox rootfs as layer 0 so the
 * image runs.
 */
public final class OciImages {

    private OciImages() {
    }

    /** Writes the layout under {@code dir} (tag {@code ref}); layers after the base are gzip unless {@code gzip} is false. */
    public static Path write(Path dir, String ref, int extraLayers, int bytesPerLayer, long seed, boolean gzip) {
        try {
            Path blobs = dir.resolve("blobs/sha256");
            Files.createDirectories(blobs);
            ObjectNode manifest = Api.JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            ArrayNode layers = Api.JSON.createArrayNode();
            ArrayNode diffIds = Api.JSON.createArrayNode();
            addLayer(blobs, TestImages.busyboxRootfs(), true, layers, diffIds);
            Random r = new Random(seed);
            for (int i = 1; i <= extraLayers; i++) {
                byte[] content = new byte[bytesPerLayer];
                r.nextBytes(content);
                ByteArrayOutputStream tar = new ByteArrayOutputStream(bytesPerLayer + 4096);
                try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
                    TarArchiveEntry d = new TarArchiveEntry("data/");
                    d.setModTime(0);
                    t.putArchiveEntry(d);
                    t.closeArchiveEntry();
                    TarArchiveEntry e = new TarArchiveEntry("data/file" + i + "-" + seed);
                    e.setSize(content.length);
                    e.setModTime(0);
                    e.setMode(0644);
                    t.putArchiveEntry(e);
                    t.write(content);
                    t.closeArchiveEntry();
                }
                addLayer(blobs, tar.toByteArray(), gzip, layers, diffIds);
            }
            ObjectNode config = Api.JSON.createObjectNode();
            config.put("architecture", "amd64");
            config.put("os", "linux");
            config.put("created", "2026-01-01T00:00:00Z");
            ObjectNode run = config.putObject("config");
            run.putArray("Env").add("PATH=" + TestImages.DEFAULT_PATH);
            run.putArray("Cmd").add("sh");
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.set("diff_ids", diffIds);
            byte[] cfg = Api.JSON.writeValueAsBytes(config);
            manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", put(blobs, cfg), cfg.length));
            manifest.set("layers", layers);
            byte[] m = Api.JSON.writeValueAsBytes(manifest);
            ObjectNode index = Api.JSON.createObjectNode();
            index.put("schemaVersion", 2);
            ObjectNode d = descriptor("application/vnd.oci.image.manifest.v1+json", put(blobs, m), m.length);
            d.putObject("annotations").put("org.opencontainers.image.ref.name", ref);
            index.putArray("manifests").add(d);
            Files.write(dir.resolve("index.json"), Api.JSON.writeValueAsBytes(index));
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addLayer(Path blobs, byte[] tar, boolean gzip, ArrayNode layers, ArrayNode diffIds)
            throws IOException {
        diffIds.add(sha256(tar));
        byte[] blob = tar;
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(tar.length / 2);
            try (OutputStream gz = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            }) {
                gz.write(tar);
            }
            blob = out.toByteArray();
        }
        layers.add(descriptor(gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar",
                put(blobs, blob), blob.length));
    }

    private static ObjectNode descriptor(String type, String digest, long size) {
        ObjectNode d = Api.JSON.createObjectNode();
        d.put("mediaType", type);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String put(Path blobs, byte[] b) throws IOException {
        String d = sha256(b);
        Files.write(blobs.resolve(d.substring(7)), b);
        return d;
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
