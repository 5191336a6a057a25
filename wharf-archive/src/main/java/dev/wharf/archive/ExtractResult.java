package dev.wharf.archive;

/**
 * What an extraction read.
 *
 * @param diffId {@code sha256:<hex>} of the uncompressed tar stream, padding included
 * @param size the number of uncompressed tar bytes
 * @param entries the number of tar entries (headers) read
 * @param contentSize what the unpacked files hold, as Docker sizes a layer: the bytes of regular
 *     files (a hard link adds nothing) and the length of each symbolic link's target
 */
public record ExtractResult(String diffId, long size, long entries, long contentSize) {

    public ExtractResult {
        if (diffId == null || !diffId.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("bad diffId " + diffId);
        }
    }
}
