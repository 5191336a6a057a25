package dev.wharf.builder.dispatch;

import java.util.List;
import java.util.Optional;

/**
 * What the dispatcher needs from an engine, one build at a time: images by reference and by ID,
 * the step cache, running a command, writing files, and committing images. The engine implements
 * it with its image and container services; unit tests with a hand-written fake.
 */
public interface BuildBackend {

    /** A base image by reference ({@code FROM x}, {@code COPY --from=x}); pulled first when asked. */
    ImageState resolveImage(String ref, String platform, boolean pull, BuildOutput out);

    /** An image this backend made or resolved, by ID. */
    ImageState image(String id);

    /** The image a cache key points at, if any and still present. */
    Optional<String> cached(String key);

    /** Records that {@code key} produced {@code imageId}. */
    void remember(String key, String imageId);

    /** Whether {@code imageId} is {@code ancestor} or one of its descendants' parents chain (for --cache-from). */
    boolean isAncestor(String ancestor, String imageId);

    /** Looks up the files a COPY or ADD names; their checksum goes into the cache key. */
    Sources sources(SourceRequest request);

    /** Runs a command in a container on top of {@code spec.parentId()}; its changes, or a failure. */
    Layer run(RunSpec spec, BuildOutput out);

    /** Writes the sources into the parent's file system (or an empty one for {@code --link}). */
    Layer copy(CopySpec spec);

    /** Creates a directory (WORKDIR) if it is missing. */
    Layer mkdir(String parentId, String path);

    /** A new image: the parent plus {@code layer} (null: no layer) with this config and history line. */
    String commit(String parentId, ImageState state, String createdBy, Layer layer);

    /** Points each tag at the image. */
    void tag(String imageId, List<String> tags);

    /** Files found for one COPY or ADD. */
    interface Sources {
        String checksum();
    }

    /** A layer made by a step but not yet committed (an empty one makes an empty_layer history entry). */
    interface Layer {
        boolean empty();
    }

    /** Where COPY sources come from: the context, or an image (a stage's result or a named image). */
    record SourceRequest(String fromImageId, List<String> paths, List<Inline> inline, boolean add,
            String checksum, boolean keepGitDir) {
    }

    /** A heredoc file ({@code COPY <<EOF /file}). */
    record Inline(String name, byte[] content) {
    }

    record CopySpec(String parentId, Sources sources, String dest, String chown, String chmod, boolean link,
            boolean add, String workdir) {
    }

    /**
     * A RUN: argv, environment, user and working directory, the network ({@code null} for the
     * build's default), and its mounts.
     */
    record RunSpec(String parentId, List<String> argv, List<String> env, String user, String workdir,
            String network, List<Mount> mounts) {
    }

    /**
     * A resolved {@code RUN --mount}: type bind (source in the context, or in image {@code fromImageId}),
     * cache (by {@code id}), tmpfs, secret (by {@code id}), or inline (a file holding {@code content},
     * for a heredoc script).
     */
    record Mount(String type, String target, String source, String fromImageId, String id, boolean readOnly,
            String sharing, String mode, String uid, String gid, boolean required, String size, String env,
            String content) {
    }
}
