package dev.wharf.engine.image;

import dev.wharf.model.common.ProgressMessage;

/**
 * Receives the messages of a pull or push as Docker's JSON progress stream has them, one call per
 * message, from several threads (calls are serialised by the caller of the listener).
 */
@FunctionalInterface
public interface ProgressListener {

    void progress(ProgressMessage m);

    /**
     * Whether the one who asked is gone (its client closed the connection): the pull or push then
     * stops, as Docker's does when its request's context ends. Downloads another pull shares go on.
     */
    default boolean cancelled() {
        return false;
    }

    static ProgressListener discard() {
        return m -> { };
    }
}
