package dev.wharf.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's IPv4 address space in use: its routes other than the default one, from
 * {@code /proc/net/route}, and the networks of the addresses on its interfaces (up or down).
 */
final class HostRoutes {

    private HostRoutes() {
    }

    static List<Subnet> read() {
        List<Subnet> out = new ArrayList<>(addresses());
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
                out.add(new Subnet(dest & Subnet.mask(prefix), prefix));
            }
        } catch (IOException | RuntimeException e) {
            // no routes known: every candidate is free
        }
        return out;
    }

    private static List<Subnet> addresses() {
        List<Subnet> out = new ArrayList<>();
        try {
            for (java.net.NetworkInterface nif : java.util.Collections.list(
                    java.net.NetworkInterface.getNetworkInterfaces())) {
                for (java.net.InterfaceAddress a : nif.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof java.net.Inet4Address v4 && !v4.isLoopbackAddress()
                            && a.getNetworkPrefixLength() > 0 && a.getNetworkPrefixLength() <= 32) {
                        int ip = java.nio.ByteBuffer.wrap(v4.getAddress()).getInt();
                        int prefix = a.getNetworkPrefixLength();
                        out.add(new Subnet(ip & Subnet.mask(prefix), prefix));
                    }
                }
            }
        } catch (java.net.SocketException | RuntimeException e) {
            // no interfaces known: the routes still tell
        }
        return out;
    }
}
