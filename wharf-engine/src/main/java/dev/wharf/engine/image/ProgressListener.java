package dev.wharf.engine.image;

import dev.wharf.model.common.ProgressMessage;

/**
 * Receives the messages of a pull or push as Docker's JSON progress stream has them, one call per
 * message, from several threads (calls are serialised by the caller of the listener).
 */
@FunctionalInterface
public interface ProgressListener {

    void progress(ProgressMessage m);

    static ProgressListener discard() {
        return m -> { };
    }
}
