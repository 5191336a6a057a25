package dev.wharf.engine.image;

import dev.wharf.base.id.Digest;

/** The image a pull left (the last one with {@code -a}), the reference it is known by, and its digest. */
public record PullResult(Digest imageId, String reference, String digest, boolean updated) {
}
