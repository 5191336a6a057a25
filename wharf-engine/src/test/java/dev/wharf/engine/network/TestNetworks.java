package dev.wharf.engine.network;

import dev.wharf.base.time.Clock;
import dev.wharf.engine.event.EventService;
import dev.wharf.runtime.network.NetworkDriver;
import dev.wharf.store.table.NetworkTable;
import java.io.IOException;
import java.nio.file.Path;

/** A network service over a fake driver, for unit tests of this and other packages. */
public final class TestNetworks {

    private TestNetworks() {
    }

    /** A service with the default bridge {@code wharf0}, the pool 10.200.0.0/16 in /24s, roots under {@code dir}. */
    public static NetworkService create(NetworkTable table, EventService events, NetworkDriver driver, Path dir,
            Clock clock) throws IOException {
        return create(table, events, driver, dir, clock, null);
    }

    public static NetworkService create(NetworkTable table, EventService events, NetworkDriver driver, Path dir,
            Clock clock, String bridgeSubnet) throws IOException {
        NetworkService.Options o = new NetworkService.Options("wharf0", bridgeSubnet, "10.200.0.0/16", 24,
                dir.resolve("exec"), Path.of("/nonexistent/netavark"), Path.of("/nonexistent/aardvark"),
                dir.resolve("data"));
        return new NetworkService(table, events, o, driver, dir.resolve("claims"), clock);
    }
}
