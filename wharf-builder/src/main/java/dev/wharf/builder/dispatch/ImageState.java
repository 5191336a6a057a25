package dev.wharf.builder.dispatch;

import dev.wharf.oci.image.ImageConfig;

/**
 * An image a step starts from or produced: its ID ({@code null} for {@code scratch}), its run
 * config, author, platform and the number of layers it has.
 */
public record ImageState(String id, ImageConfig.RunConfig config, String author, String os, String architecture) {

    public static ImageState scratch() {
        return new ImageState(null, ImageConfig.RunConfig.empty(), null, "linux", "amd64");
    }

    public ImageState withConfig(ImageConfig.RunConfig c) {
        return new ImageState(id, c, author, os, architecture);
    }

    public ImageState withAuthor(String a) {
        return new ImageState(id, config, a, os, architecture);
    }

    public ImageState withId(String newId) {
        return new ImageState(newId, config, author, os, architecture);
    }
}
