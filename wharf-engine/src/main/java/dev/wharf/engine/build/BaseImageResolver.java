package dev.wharf.engine.build;

import dev.wharf.engine.image.ImageService;
import dev.wharf.model.common.ProgressMessage;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a build finds the image a {@code FROM} (or {@code COPY --from=image}) names. The one place a
 * registry pull joins the builder: {@link #local} looks images up and fails as Docker does when one
 * is missing; a pulling resolver (ImageService.pull, once it exists) takes its place in
 * {@code daemon.Wiring}, and pulls when the image is missing or {@code pull} is set, writing pull
 * progress through {@code progress}.
 */
@FunctionalInterface
public interface BaseImageResolver {

    /**
     * The image {@code ref} names. {@code auth} maps registry host names to the auth objects of
     * {@code X-Registry-Config}; {@code platform} is {@code os/arch} or null.
     */
    ImageService.Resolved resolve(String ref, String platform, boolean pull, Map<String, Map<String, Object>> auth,
            Consumer<ProgressMessage> progress);

    /** Local images only: a missing one is Docker's "pull access denied" error. */
    static BaseImageResolver local(ImageService images) {
        return (ref, platform, pull, auth, progress) -> images.findId(ref)
                .map(images::resolve)
                .orElseThrow(() -> new dev.wharf.base.error.NotFoundException("pull access denied for "
                        + repository(ref) + ", repository does not exist or may require 'docker login'"));
    }

    private static String repository(String ref) {
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String r = colon > slash ? ref.substring(0, colon) : ref;
        int at = r.indexOf('@');
        return at < 0 ? r : r.substring(0, at);
    }
}
