package dev.wharf.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's IPv4 routes other than the default one, from {@code /proc/net/route}. */
final class HostRoutes {

    private HostRoutes() {
    }

    static List<Subnet> read() {
        List<Subnet> out = new ArrayList<>();
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
}
