package dev.wharf.archive;

/**
 * Options of {@link Extractor#extractPlain}.
 *
 * @param noOverwriteDirNonDir refuse to replace a directory with a non-directory or the reverse
 *     (Docker's {@code noOverwriteDirNonDir} query parameter of {@code PUT /containers/{id}/archive})
 * @param keepOwnership chown each entry to the tar's uid and gid (only when running as root);
 *     when false, entries belong to the extracting user
 */
public record ExtractOptions(boolean noOverwriteDirNonDir, boolean keepOwnership) {

    /** Docker's defaults for an upload: overwrite freely and keep the tar's ownership. */
    public static final ExtractOptions DEFAULTS = new ExtractOptions(false, true);

    public ExtractOptions withNoOverwriteDirNonDir(boolean value) {
        return new ExtractOptions(value, keepOwnership);
    }

    public ExtractOptions withKeepOwnership(boolean value) {
        return new ExtractOptions(noOverwriteDirNonDir, value);
    }
}
