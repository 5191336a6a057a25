package dev.wharf.runtime.network;

import dev.wharf.runtime.sys.Netns;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link NetworkDriver} on the host: {@link Netns} for namespaces, {@link Netavark} for set-up and
 * tear-down, {@link Isolation} for the rules between bridges, {@code ip link} for the bridges'
 * ports, and {@code /proc/net/route}, {@code /sys/class/net} and the interfaces for what exists.
 */
public final class HostNetworkDriver implements NetworkDriver {

    private static final String IP = Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("ip");
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private final Netavark netavark;
    private final Isolation isolation;

    public HostNetworkDriver(Netavark netavark, Isolation isolation) {
        this.netavark = netavark;
        this.isolation = isolation;
    }

    @Override
    public void createNamespace(Path netns) throws IOException {
        Netns.create(netns);
    }

    @Override
    public void deleteNamespace(Path netns) throws IOException {
        Netns.delete(netns);
    }

    @Override
    public Map<String, NetavarkStatus> setUp(Path netns, NetavarkConfig cfg) {
        return netavark.setup(netns, cfg);
    }

    @Override
    public void tearDown(Path netns, NetavarkConfig cfg) {
        netavark.teardown(netns, cfg);
    }

    @Override
    public void renameDns(String containerId, Map<String, List<String>> names) {
        netavark.renameDns(containerId, names);
    }

    @Override
    public void isolate(Collection<String> bridges) {
        isolation.ensure(bridges);
    }

    @Override
    public void dropIsolation(Collection<String> bridges) {
        isolation.remove(bridges);
    }

    @Override
    public List<String> bridgePorts(String bridge) {
        Path brif = SYS_NET.resolve(bridge).resolve("brif");
        if (!Files.isDirectory(brif)) {
            return null;
        }
        List<String> ports = new ArrayList<>();
        try (var s = Files.list(brif)) {
            s.forEach(p -> ports.add(p.getFileName().toString()));
        } catch (IOException e) {
            return null;
        }
        return ports;
    }

    @Override
    public boolean linkExists(String name) {
        return Files.exists(SYS_NET.resolve(name));
    }

    @Override
    public boolean addBridgePort(String name, String peer, String bridge) {
        if (!ip("link", "add", name, "type", "veth", "peer", "name", peer) || !ip("link", "set", name, "master", bridge,
                "up")) {
            ip("link", "del", name);
            return false;
        }
        return true;
    }

    @Override
    public void deleteLink(String name) {
        ip("link", "del", name);
    }

    @Override
    public List<String> hostSubnets() {
        List<String> out = new ArrayList<>(addresses());
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 8) {
                    continue;
                }
                int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
                int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
                int prefix = Integer.bitCount(mask);
                if (prefix == 0) {
                    continue;
                }
                out.add(cidr(dest, prefix));
            }
        } catch (IOException | RuntimeException e) {
            // no routes known: every candidate is free
        }
        return out;
    }

    @Override
    public boolean ipv6Available() {
        return Files.exists(Path.of("/proc/sys/net/ipv6"));
    }

    private static List<String> addresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4 && !v4.isLoopbackAddress()
                            && a.getNetworkPrefixLength() > 0 && a.getNetworkPrefixLength() <= 32) {
                        out.add(cidr(ByteBuffer.wrap(v4.getAddress()).getInt(), a.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no interfaces known: the routes still tell
        }
        return out;
    }

    /** The network of {@code ip} with this prefix, as {@code a.b.c.d/n}. */
    private static String cidr(int ip, int prefix) {
        int net = prefix == 0 ? 0 : ip & (-1 << (32 - prefix));
        return ((net >>> 24) & 255) + "." + ((net >>> 16) & 255) + "." + ((net >>> 8) & 255) + "." + (net & 255)
                + "/" + prefix;
    }

    private static boolean ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(IP);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
