package dev.wharf.engine.network;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.store.table.NetworkTable.PortRow;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Host ports for {@code -p} and {@code -P}: parses {@code HostConfig.PortBindings}, picks free
 * ports from the ephemeral range for the ones left empty, and refuses a port that another
 * container holds or that a host process has bound. netavark forwards them (DNAT, and
 * route_localnet for 127.0.0.1); nothing listens on them, so "in use" is checked by binding.
 */
final class PortAllocator {

    static final int FIRST = 32768;
    static final int LAST = 60999;

    /** A wanted binding: host port 0 means "pick one"; {@code hostPortEnd} > 0 is a range. */
    record Wanted(String proto, int containerPort, String hostIp, int hostPort, int hostPortEnd) {
    }

    private PortAllocator() {
    }

    /** Parses and checks the bindings of a create request; 400 on a malformed one. */
    static List<Wanted> wanted(Map<String, List<PortBinding>> portBindings, boolean publishAll,
            Map<String, Object> exposed) {
        Map<String, Wanted> out = new LinkedHashMap<>();
        List<Wanted> list = new ArrayList<>();
        if (portBindings != null) {
            for (var e : portBindings.entrySet()) {
                String[] pp = portProto(e.getKey());
                int cport = port(pp[0], e.getKey());
                List<PortBinding> bs = e.getValue();
                if (bs == null || bs.isEmpty()) {
                    bs = List.of(new PortBinding("", ""));
                }
                for (PortBinding b : bs) {
                    String hip = b.hostIp();
                    if (hip.equals("0.0.0.0")) {
                        hip = "";
                    }
                    if (hip.contains(":")) {
                        continue; // IPv6 bindings: the networks are IPv4 only
                    }
                    if (!hip.isEmpty()) {
                        Subnet.ip(hip);
                    }
                    String hp = b.hostPort();
                    int from = 0;
                    int to = 0;
                    if (!hp.isEmpty()) {
                        int dash = hp.indexOf('-');
                        from = port(dash < 0 ? hp : hp.substring(0, dash), hp);
                        to = dash < 0 ? 0 : port(hp.substring(dash + 1), hp);
                        if (to != 0 && to < from) {
                            throw new InvalidArgumentException("invalid port range: " + hp);
                        }
                    }
                    list.add(new Wanted(pp[1], cport, hip, from, to));
                }
                out.put(pp[0] + "/" + pp[1], null);
            }
        }
        if (publishAll && exposed != null) {
            for (String k : exposed.keySet()) {
                String[] pp = portProto(k);
                if (!out.containsKey(pp[0] + "/" + pp[1])) {
                    list.add(new Wanted(pp[1], port(pp[0], k), "", 0, 0));
                }
            }
        }
        return list;
    }

    /** Picks host ports for {@code wanted}, none of them in {@code held}; checks each can be bound (409 with why not). */
    static List<PortRow> pick(ContainerId containerId, List<Wanted> wanted, List<PortRow> held) {
        List<PortRow> out = new ArrayList<>();
        for (Wanted w : wanted) {
            List<PortRow> busy = new ArrayList<>(held);
            busy.addAll(out);
            if (w.hostPort() != 0 && w.hostPortEnd() == 0) {
                String why = unavailable(w.proto(), w.hostIp(), w.hostPort(), busy);
                if (why != null) {
                    throw new ConflictException(why);
                }
                out.add(new PortRow(w.proto(), w.hostIp(), w.hostPort(), containerId.value(), w.containerPort()));
                continue;
            }
            int from = w.hostPort() != 0 ? w.hostPort() : FIRST;
            int to = w.hostPort() != 0 ? w.hostPortEnd() : LAST;
            int n = to - from + 1;
            int start = w.hostPort() != 0 ? 0 : ThreadLocalRandom.current().nextInt(n);
            PortRow found = null;
            for (int i = 0; i < n && found == null; i++) {
                int p = from + (start + i) % n;
                if (unavailable(w.proto(), w.hostIp(), p, busy) == null) {
                    found = new PortRow(w.proto(), w.hostIp(), p, containerId.value(), w.containerPort());
                }
            }
            if (found == null) {
                throw new ConflictException("no free host port in " + from + "-" + to + "/" + w.proto());
            }
            out.add(found);
        }
        return out;
    }

    /** Why {@code port} cannot be had, or null. */
    private static String unavailable(String proto, String hostIp, int port, List<PortRow> busy) {
        String shown = (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + port;
        for (PortRow r : busy) {
            if (r.proto().equals(proto) && r.hostPort() == port
                    && (r.hostIp().isEmpty() || hostIp.isEmpty() || r.hostIp().equals(hostIp))) {
                return "Bind for " + shown + " failed: port is already allocated";
            }
        }
        try {
            InetAddress addr = InetAddress.getByName(hostIp.isEmpty() ? "0.0.0.0" : hostIp);
            if (proto.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress(addr, port));
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(addr, port));
                }
            }
            return null;
        } catch (IOException e) {
            return "Error starting userland proxy: listen " + proto + "4 " + shown + ": bind: address already in use";
        }
    }

    static String[] portProto(String key) {
        int slash = key.indexOf('/');
        String port = slash < 0 ? key : key.substring(0, slash);
        String proto = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase();
        if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
            throw new InvalidArgumentException("invalid proto: " + proto);
        }
        return new String[] {port, proto};
    }

    private static int port(String s, String spec) {
        try {
            int p = Integer.parseInt(s.strip());
            if (p < 1 || p > 65535) {
                throw new InvalidArgumentException("invalid port specification: \"" + spec + "\"");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid port specification: \"" + spec + "\"");
        }
    }

}
