package dev.wharf.engine.build;

import dev.wharf.builder.dispatch.BuildBackend;
import dev.wharf.store.layer.LayerStore;

/** A step's changes unpacked in the layer store but not registered; {@code staged} null when there are none. */
record StagedLayer(LayerStore.Staged staged) implements BuildBackend.Layer {

    @Override
    public boolean empty() {
        return staged == null;
    }
}
