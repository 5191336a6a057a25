-- Networks, their address leases and the host ports containers publish.
--
--   networks(id)                  one row per network; config = the network's JSON (subnet, gateway,
--                                 bridge device, options, labels); name unique
--     └─ endpoints(network, container)  a container's attachment: its leased address (unique per
--                                 network), MAC and interface; config = aliases and the like (JSON).
--                                 Leased at create/connect, released at remove/disconnect
--   port_bindings(proto, host_ip, host_port)  host ports a running container holds; written at
--                                 start (after a free one is picked), deleted when it stops
CREATE TABLE networks (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created     INTEGER NOT NULL,
    config      TEXT NOT NULL
);
CREATE TABLE endpoints (
    network_id   TEXT NOT NULL REFERENCES networks(id),
    container_id TEXT NOT NULL,
    ip           TEXT NOT NULL,
    config       TEXT NOT NULL,
    PRIMARY KEY (network_id, container_id),
    UNIQUE (network_id, ip)
);
CREATE INDEX endpoints_container ON endpoints(container_id);
CREATE TABLE port_bindings (
    proto          TEXT NOT NULL,
    host_ip        TEXT NOT NULL,
    host_port      INTEGER NOT NULL,
    container_id   TEXT NOT NULL,
    container_port INTEGER NOT NULL,
    PRIMARY KEY (proto, host_ip, host_port)
);
CREATE INDEX port_bindings_container ON port_bindings(container_id);
