package dev.wharf.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.Digest;
import dev.wharf.model.Json;
import dev.wharf.oci.MediaTypes;
import dev.wharf.oci.image.Descriptor;
import dev.wharf.oci.image.Manifest;
import dev.wharf.registry.Reference;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.RegistryException;
import dev.wharf.registry.Repository;
import dev.wharf.registry.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code GET /distribution/{name}/json} (docker-py's {@code inspect_distribution}, {@code docker
 * buildx imagetools}' cousin): what the registry holds for a reference, without pulling it — the
 * descriptor of the manifest or index the tag names and the platforms it is for. As moby: an
 * index lists its entries' platforms; a single image manifest's platform is read from its config.
 *
 * @param descriptor media type, digest and size of the manifest (or index) the reference names
 * @param platforms the platforms it serves
 */
public record DistributionInspect(@JsonProperty("Descriptor") Descriptor descriptor,
        @JsonProperty("Platforms") List<Descriptor.Platform> platforms) {

    private static final int MAX_CONFIG = 16 << 20;

    static DistributionInspect of(RegistryClient client, String name, Credentials creds) {
        Reference named = Reference.parse(name, null);
        Reference ref = named.tag() == null && named.digest() == null ? named.withTag("latest") : named;
        Repository repo = client.repository(ref.repository(), creds, false);
        try {
            Repository.FetchedManifest top = repo.manifest(ref.tagOrDigest());
            if (top.mediaType().equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)
                    || top.mediaType().equals(MediaTypes.DOCKER_SCHEMA1)) {
                throw new InvalidArgumentException("Docker Image manifest version 2, schema 1 is not supported");
            }
            Manifest m;
            try {
                m = Json.mapper().readValue(top.bytes(), Manifest.class);
            } catch (IOException e) {
                throw new InvalidArgumentException("invalid manifest " + top.digest() + ": " + e.getMessage(), e);
            }
            Descriptor d = Descriptor.of(top.mediaType(), top.digest(), top.bytes().length);
            return new DistributionInspect(d, platforms(m, cfg -> config(repo, cfg)));
        } catch (RegistryException e) {
            throw RegistryErrors.pull(e, ref);
        }
    }

    /**
     * An index's entries' platforms (those that give one), or the platform an image manifest's
     * config names; {@code config} reads a config blob.
     */
    static List<Descriptor.Platform> platforms(Manifest m, Function<Descriptor, byte[]> config) {
        List<Descriptor.Platform> out = new ArrayList<>();
        if (m.isIndex()) {
            for (Descriptor e : m.manifests()) {
                if (e.platform() != null) {
                    out.add(e.platform());
                }
            }
            return out;
        }
        if (m.config() == null) {
            return out;
        }
        JsonNode c;
        try {
            c = Json.mapper().readTree(config.apply(m.config()));
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid image config " + m.config().digest() + ": " + e.getMessage(),
                    e);
        }
        String os = text(c, "os");
        String arch = text(c, "architecture");
        if (os != null || arch != null) {
            out.add(new Descriptor.Platform(arch == null ? "" : arch, os == null ? "" : os, text(c, "os.version"),
                    text(c, "variant")));
        }
        return out;
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }

    private static byte[] config(Repository repo, Descriptor cfg) {
        if (cfg.size() > MAX_CONFIG) {
            throw new InvalidArgumentException("image config " + cfg.digest() + " is too large");
        }
        Repository.Blob b = repo.openBlob(cfg.digest(), 0);
        byte[] bytes;
        try (InputStream in = b.in()) {
            bytes = in.readNBytes(MAX_CONFIG + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Digest.of(bytes).equals(Digest.parse(cfg.digest()))) {
            throw new InvalidArgumentException("image config verification failed for digest " + cfg.digest());
        }
        return bytes;
    }
}
