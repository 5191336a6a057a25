package dev.wharf.engine.image;

/** The image a pull left (the last one with {@code -a}), the reference it is known by, and its digest. */
public record PullResult(String imageId, String reference, String digest, boolean updated) {
}
