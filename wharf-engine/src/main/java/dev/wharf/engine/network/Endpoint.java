package dev.wharf.engine.network;

/** A container's lease on a network: its IPv4 address, and the rest of what is stored for it. */
record Endpoint(String networkId, String containerId, String ip, EndpointRecord rec) {
}
