package dev.wharf.registry;

import dev.wharf.oci.image.Descriptor;
import dev.wharf.registry.RegistryException.Kind;
import dev.wharf.registry.auth.Credentials;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One repository of one registry, reached with one set of credentials: what a pull or a push
 * does with the registry. For Docker Hub pulls the mirrors are tried first; the first that answers
 * a manifest or the tag list serves the rest of the pull.
 */
public final class Repository {

    /** A manifest or index as fetched: its exact bytes, media type and digest. */
    public record FetchedManifest(byte[] bytes, String mediaType, String digest) {
    }

    /** A blob's byte stream, its length (-1 unknown) and where in the blob it starts. */
    public record Blob(InputStream in, long size, long offset) {
    }

    private final Reference ref;
    private final Credentials creds;
    private final List<String> hosts;
    private final List<String> scopes;
    private final ManifestEndpoint manifests;
    private final BlobEndpoint blobs;
    private final UploadEndpoint uploads;
    private final TagsEndpoint tags;
    private volatile String host;

    Repository(Caller caller, Reference ref, Credentials creds, List<String> hosts, boolean push) {
        this.ref = ref;
        this.creds = creds == null ? Credentials.anonymous() : creds;
        this.hosts = List.copyOf(hosts);
        this.host = hosts.getLast();
        this.scopes = List.of("repository:" + ref.path() + (push ? ":pull,push" : ":pull"));
        this.manifests = new ManifestEndpoint(caller);
        this.blobs = new BlobEndpoint(caller);
        this.uploads = new UploadEndpoint(caller);
        this.tags = new TagsEndpoint(caller);
    }

    public Reference reference() {
        return ref;
    }

    /** The manifest (or index) a tag or digest names; with mirrors, the first that has it. */
    public FetchedManifest manifest(String tagOrDigest) {
        return firstAnswer(h -> manifests.get(h, ref.path(), tagOrDigest, scopes, creds));
    }

    /**
     * Asks the mirrors, then the registry, until one answers; that one serves the rest of the
     * pull. When all fail, the first refusal is reported rather than the registry's being
     * unreachable (a mirror that said "no such tag" explains more than a closed network).
     */
    private <T> T firstAnswer(java.util.function.Function<String, T> ask) {
        RegistryException first = null;
        for (String h : hosts) {
            try {
                T answer = ask.apply(h);
                host = h;
                return answer;
            } catch (RegistryException e) {
                if (h.equals(hosts.getLast())) {
                    throw first != null && e.kind() == Kind.UNREACHABLE ? first : e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first == null ? new RegistryException(Kind.UNREACHABLE, -1, "no registry to ask") : first;
    }

    /** The descriptor of a tag's manifest, without its body; empty when the tag is unknown. */
    public Optional<Descriptor> headManifest(String tagOrDigest) {
        return manifests.head(host, ref.path(), tagOrDigest, scopes, creds);
    }

    public Blob openBlob(String digest, long offset) {
        return blobs.open(host, ref.path(), digest, offset, scopes, creds);
    }

    /** The size of a blob the repository holds, or empty. */
    public Optional<Long> statBlob(String digest) {
        return blobs.stat(host, ref.path(), digest, scopes, creds);
    }

    /** Mounts a blob from another repository of the same registry; false when it could not. */
    public boolean mountBlob(String digest, String fromPath) {
        List<String> s = new ArrayList<>(scopes);
        s.add("repository:" + fromPath + ":pull");
        try {
            return uploads.mount(host, ref.path(), digest, fromPath, s, creds);
        } catch (RegistryException e) {
            if (e.kind() == Kind.UNAUTHORIZED || e.kind() == Kind.DENIED) {
                return false;
            }
            throw e;
        }
    }

    /** Monolithic upload: one PUT with the whole blob, whose digest and size are known. */
    public void uploadWhole(String digest, long size, Supplier<InputStream> body) {
        String loc = uploads.start(host, ref.path(), scopes, creds);
        uploads.putWhole(host, ref.path(), loc, digest, size, body, scopes, creds);
    }

    /** A chunked upload in progress: {@link #write} chunks, then {@link #finish} with the digest. */
    public final class Upload {
        private String location;

        private Upload(String location) {
            this.location = location;
        }

        /** Sends {@code chunk} (read to its end) as one PATCH. */
        public void write(InputStream chunk) {
            location = uploads.patch(host, ref.path(), location, chunk, scopes, creds);
        }

        public void finish(String digest) {
            uploads.finish(host, ref.path(), location, digest, scopes, creds);
        }

        public void cancel() {
            uploads.cancel(host, ref.path(), location, scopes, creds);
        }
    }

    public Upload startUpload() {
        return new Upload(uploads.start(host, ref.path(), scopes, creds));
    }

    /** Puts a manifest under a tag (or its digest); returns the digest the registry computed. */
    public String putManifest(String tagOrDigest, byte[] bytes, String mediaType) {
        return manifests.put(host, ref.path(), tagOrDigest, bytes, mediaType, scopes, creds);
    }

    /** The repository's tags (a pull of all tags); with mirrors, from the first that answers. */
    public List<String> tags() {
        return firstAnswer(h -> tags.list(h, ref.path(), scopes, creds));
    }
}
