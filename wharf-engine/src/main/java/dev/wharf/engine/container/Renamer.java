package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.engine.network.NetworkService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /containers/{id}/rename}: Docker's checks (empty, invalid, the same name, taken),
 * then the new name in the database and memory and in its networks' DNS, and a {@code rename} event
 * with {@code oldName}.
 */
final class Renamer {

    private final ContainerRegistry registry;
    private final NetworkService networks;

    Renamer(ContainerRegistry registry, NetworkService networks) {
        this.registry = registry;
        this.networks = networks;
    }

    void rename(String idOrName, String requested) {
        Container c = registry.find(idOrName);
        if (requested == null || requested.isEmpty() || requested.equals("/")) {
            throw new InvalidArgumentException("Neither old nor new names may be empty");
        }
        String name = Names.validate(requested);
        c.lock.lock();
        try {
            String old = c.name();
            if (old.equals(name)) {
                throw new InvalidArgumentException("Renaming a container with the same name as its current name");
            }
            registry.saveConfig(c, c.cfg.withName(name));
            networks.rename(c.id, name, c.state.running());
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("oldName", "/" + old);
            registry.publish(c, "rename", extra);
        } finally {
            c.lock.unlock();
        }
    }
}
