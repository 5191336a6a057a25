package dev.wharf.engine.build;

import dev.wharf.builder.dispatch.BuildBackend;
import java.nio.file.Path;
import java.util.List;

/**
 * What one COPY or ADD reads, already looked up: context paths (matched), an image and the
 * patterns to match in it, downloaded URLs, and heredoc files.
 */
record CopySources(String checksum, List<String> contextPaths, String imageId, List<String> imagePatterns,
        List<Download> downloads, List<BuildBackend.Inline> inline, int count) implements BuildBackend.Sources {

    /** An ADD URL fetched to {@code file}; {@code name} is the file name it gets in a directory destination. */
    record Download(String url, Path file, String name, long mtimeMillis) {
    }
}
