package dev.wharf.engine.image;

import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.UnauthorizedException;
import dev.wharf.base.error.WharfException;
import dev.wharf.registry.Reference;
import dev.wharf.registry.RegistryException;

/**
 * Registry failures in Docker's words and error categories, for pull, push and login. Only a
 * login answers 401: on a 401 from pull or push the docker CLI would ask for credentials on its
 * terminal and retry, where Docker's daemon reports the registry's refusal as a failure (500).
 */
final class RegistryErrors {

    private RegistryErrors() {
    }

    static WharfException pull(RegistryException e, Reference ref) {
        return switch (e.kind()) {
            case MANIFEST_UNKNOWN -> new NotFoundException("manifest for " + ref.familiar() + " not found: "
                    + e.getMessage(), e);
            case NAME_UNKNOWN, DENIED -> new NotFoundException("pull access denied for " + ref.familiarName()
                    + ", repository does not exist or may require 'docker login': " + e.getMessage(), e);
            case UNSUPPORTED -> new InvalidArgumentException(e.getMessage(), e);
            default -> new InternalException(e.getMessage(), e);
        };
    }

    static WharfException push(RegistryException e) {
        return switch (e.kind()) {
            case DENIED, NAME_UNKNOWN -> new NotFoundException(e.getMessage(), e);
            default -> new InternalException(e.getMessage(), e);
        };
    }

    static WharfException login(RegistryException e) {
        return switch (e.kind()) {
            case UNAUTHORIZED, DENIED -> new UnauthorizedException(e.getMessage(), e);
            default -> new InternalException(e.getMessage(), e);
        };
    }
}
