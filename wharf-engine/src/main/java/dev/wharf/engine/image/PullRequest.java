package dev.wharf.engine.image;

import dev.wharf.registry.auth.Credentials;

/**
 * What to pull: {@code image} as {@code docker pull} takes it ({@code nginx}, {@code nginx:1.25},
 * {@code 127.0.0.1:5000/app@sha256:…}), an optional separate {@code tag} (or digest) as the API's
 * {@code tag} parameter, the platform ({@code null}: linux/amd64), the credentials, and whether to
 * pull every tag of the repository ({@code -a}).
 */
public record PullRequest(String image, String tag, String platform, Credentials credentials, boolean allTags) {

    public PullRequest {
        credentials = credentials == null ? Credentials.anonymous() : credentials;
    }

    public static PullRequest of(String image) {
        return new PullRequest(image, null, null, Credentials.anonymous(), false);
    }
}
