package dev.wharf.engine.build;

import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.ProgressListener;
import java.util.Map;

/**
 * How a build finds the image a {@code FROM} (or {@code COPY --from=image}) names. The one place a
 * registry pull joins the builder: {@link #local} looks images up and fails as Docker does when one
 * is missing; {@link #pulling} pulls when the image is missing or {@code pull} is set, with the
 * credentials {@code X-Registry-Config} gives for the image's registry, writing pull progress
 * through {@code progress}.
 */
@FunctionalInterface
public interface BaseImageResolver {

    /**
     * The image {@code ref} names. {@code auth} maps registry host names to the auth objects of
     * {@code X-Registry-Config}; {@code platform} is {@code os/arch} or null. A pull stops when
     * {@code progress} says the build was {@linkplain ProgressListener#cancelled() cancelled}.
     */
    ImageService.Resolved resolve(String ref, String platform, boolean pull, Map<String, Map<String, Object>> auth,
            ProgressListener progress);

    /** Local images only: a missing one is Docker's "pull access denied" error. */
    static BaseImageResolver local(ImageService images) {
        return (ref, platform, pull, auth, progress) -> images.findId(ref)
                .map(images::resolve)
                .orElseThrow(() -> new dev.wharf.base.error.NotFoundException("pull access denied for "
                        + repository(ref) + ", repository does not exist or may require 'docker login'"));
    }

    /** Pulls what is missing (or everything, with {@code pull}), as the classic builder does. */
    public static BaseImageResolver pulling(ImageService images) {
        return (ref, platform, pull, auth, progress) -> {
            java.util.Optional<dev.wharf.base.id.Digest> present = images.findId(ref);
            if (present.isPresent() && !pull) {
                return images.resolve(present.get());
            }
            dev.wharf.registry.Reference r = dev.wharf.registry.Reference.parseDefaultTag(ref);
            dev.wharf.engine.image.PullRequest req = new dev.wharf.engine.image.PullRequest(ref, null, platform,
                    credentials(auth, r.domain()), false);
            images.pull(req, progress);
            return images.findId(ref).map(images::resolve).orElseThrow(() -> new dev.wharf.base.error.NotFoundException(
                    "pull access denied for " + repository(ref) + ", repository does not exist or may require "
                            + "'docker login'"));
        };
    }

    /**
     * The credentials {@code X-Registry-Config} holds for {@code domain}: keys are registry hosts or,
     * for Docker Hub, its index URL; values carry username/password, an {@code auth} pair or an
     * identity token.
     */
    static dev.wharf.registry.auth.Credentials credentials(Map<String, Map<String, Object>> auth, String domain) {
        if (auth == null) {
            return dev.wharf.registry.auth.Credentials.anonymous();
        }
        for (Map.Entry<String, Map<String, Object>> e : auth.entrySet()) {
            String host = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            boolean hub = dev.wharf.registry.Reference.DOCKER_HUB.equals(domain)
                    && (host.equals("index.docker.io") || host.equals("docker.io") || host.equals("registry-1.docker.io"));
            if (host.equals(domain) || hub) {
                Map<String, Object> a = e.getValue();
                String user = str(a.get("username"));
                String password = str(a.get("password"));
                String pair = str(a.get("auth"));
                if ((user == null || user.isEmpty()) && pair != null && !pair.isEmpty()) {
                    String decoded = new String(java.util.Base64.getMimeDecoder().decode(pair),
                            java.nio.charset.StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon > 0) {
                        user = decoded.substring(0, colon);
                        password = decoded.substring(colon + 1);
                    }
                }
                return new dev.wharf.registry.auth.Credentials(user, password, str(a.get("identitytoken")),
                        str(a.get("registrytoken")));
            }
        }
        return dev.wharf.registry.auth.Credentials.anonymous();
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static String repository(String ref) {
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String r = colon > slash ? ref.substring(0, colon) : ref;
        int at = r.indexOf('@');
        return at < 0 ? r : r.substring(0, at);
    }
}
