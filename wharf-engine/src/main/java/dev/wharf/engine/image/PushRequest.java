package dev.wharf.engine.image;

import dev.wharf.registry.auth.Credentials;

/** What to push: {@code name} ({@code repo[:tag]}), an optional separate tag (none and no tag in name: every tag), credentials. */
public record PushRequest(String name, String tag, Credentials credentials) {

    public PushRequest {
        credentials = credentials == null ? Credentials.anonymous() : credentials;
    }
}
