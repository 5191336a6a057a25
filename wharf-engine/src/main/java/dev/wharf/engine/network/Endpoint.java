package dev.wharf.engine.network;

import dev.wharf.base.id.ContainerId;

/** A container's lease on a network: its IPv4 address, and the rest of what is stored for it. */
record Endpoint(String networkId, ContainerId containerId, String ip, EndpointRecord rec) {
}
