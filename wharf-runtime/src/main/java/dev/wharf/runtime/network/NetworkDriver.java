package dev.wharf.runtime.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The host's networking as the engine uses it: namespaces, netavark's set-up and tear-down, the
 * isolation rules between bridges, the bridges' links, and the address space the host already
 * uses. {@link HostNetworkDriver} does it on the host (root); an in-memory fake lives in this
 * module's test jar. It makes no decisions: addresses, ports and names come from the engine.
 */
public interface NetworkDriver {

    /** Makes a network namespace bound at {@code netns}. */
    void createNamespace(Path netns) throws IOException;

    /** Removes the namespace bound at {@code netns}; a missing one is no error. */
    void deleteNamespace(Path netns) throws IOException;

    /** Configures {@code netns} for the networks, addresses and ports in {@code cfg}; the status per network. */
    Map<String, NetavarkStatus> setUp(Path netns, NetavarkConfig cfg);

    /** Undoes {@link #setUp} for the networks and ports in {@code cfg}. */
    void tearDown(Path netns, NetavarkConfig cfg);

    /**
     * Gives a running container's DNS entries new names, without touching its interfaces:
     * {@code names} maps a network (its netavark name) to the container's names there.
     */
    void renameDns(String containerId, Map<String, List<String>> names);

    /**
     * Makes sure no packet leaves one of these bridges for another of Wharf's.
     *
     * @throws Isolation.IsolationException when the rules cannot be added
     */
    void isolate(Collection<String> bridges);

    /** Drops the isolation rules of these bridges (missing ones are skipped). */
    void dropIsolation(Collection<String> bridges);

    /** The links enslaved to {@code bridge}, or null when there is no such bridge. */
    List<String> bridgePorts(String bridge);

    /** Whether a link of this name exists on the host. */
    boolean linkExists(String name);

    /** Adds a veth pair {@code name}/{@code peer} with {@code name} enslaved to {@code bridge} and up. */
    boolean addBridgePort(String name, String peer, String bridge);

    /** Deletes a link; a missing one is no error. */
    void deleteLink(String name);

    /** The IPv4 networks the host uses (routes but the default one, and its interfaces' addresses), as CIDRs. */
    List<String> hostSubnets();

    /** Whether the host has IPv6. */
    boolean ipv6Available();
}
