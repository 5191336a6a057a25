package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DELETE /containers/parent/alias?link=1}: removes the legacy link {@code alias} of
 * {@code parent}, as moby's {@code rmLink}; the parent's inspect no longer lists it.
 */
final class LinkRemover {

    private final ContainerRegistry registry;

    LinkRemover(ContainerRegistry registry) {
        this.registry = registry;
    }

    void remove(String linkName) {
        String n = linkName.startsWith("/") ? linkName.substring(1) : linkName;
        int slash = n.lastIndexOf('/');
        if (slash < 0) {
            throw new ConflictException("Conflict, cannot remove the default link name of the container");
        }
        Container parent;
        try {
            parent = registry.find(n.substring(0, slash));
        } catch (NotFoundException e) {
            throw new InvalidArgumentException("Cannot get parent /" + n.substring(0, slash) + " for link name /" + n);
        }
        String alias = n.substring(slash + 1);
        parent.lock.lock();
        try {
            HostConfig hc = parent.cfg.hostConfig();
            List<String> kept = new ArrayList<>();
            boolean found = false;
            for (String stored : HostOptions.of(hc).links()) {
                List<Links.Link> one = Links.parse(List.of(stored));
                if (!one.isEmpty() && one.getFirst().alias().equals(alias)) {
                    found = true;
                } else {
                    kept.add(stored);
                }
            }
            if (!found) {
                throw new NotFoundException("No such container: " + n);
            }
            registry.saveConfig(parent, parent.cfg.withHostConfig(Links.withLinks(hc, kept.isEmpty() ? null : kept)));
        } finally {
            parent.lock.unlock();
        }
    }
}
