package dev.wharf.engine.network;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** A container's /etc/hosts and /etc/resolv.conf, written as Docker writes them. */
final class HostFiles {

    private HostFiles() {
    }

    /** The lines every container's /etc/hosts starts with, as moby's {@code etchosts} writes them. */
    static final String DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            + "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    static String hosts(NetworkService.StartRequest r, String ip, String gateway) {
        StringBuilder b = new StringBuilder();
        b.append(DEFAULT_HOSTS);
        appendExtraHosts(b, r, gateway);
        b.append(ip).append('\t').append(ownNames(r.hostname(), r.domainname())).append('\n');
        return b.toString();
    }

    /**
     * A container without a network of ours. On the host's network: the host's own file, unless
     * {@code --add-host} names hosts; then, as Docker does, a file of its own, so that a name the
     * host's file holds can be given another address. Otherwise (none): the standard lines, the
     * extra hosts, and the container's names on 127.0.0.1. {@code host-gateway} is the default
     * bridge's gateway, as for Docker's {@code --host-gateway-ip} default.
     */
    static String hostsWithoutNetwork(NetworkService.StartRequest r, boolean hostNetwork, String hostFile,
            String gateway) {
        boolean extra = r.extraHosts() != null && !r.extraHosts().isEmpty();
        if (hostNetwork && !extra) {
            return hostFile;
        }
        StringBuilder b = new StringBuilder(DEFAULT_HOSTS);
        appendExtraHosts(b, r, gateway);
        if (!hostNetwork) {
            b.append("127.0.0.1\t").append(ownNames(r.hostname(), r.domainname())).append('\n');
        }
        return b.toString();
    }

    private static void appendExtraHosts(StringBuilder b, NetworkService.StartRequest r, String gateway) {
        for (String h : r.extraHosts() == null ? List.<String>of() : r.extraHosts()) {
            String[] hp = extraHost(h);
            String addr = hp[1].equals("host-gateway") ? gateway : hp[1];
            b.append(addr).append('\t').append(hp[0]).append('\n');
        }
    }

    /**
     * The names of the container's own line: its full name (the hostname, then the domain name
     * when one is set) and, when that holds a dot, its first label too, so that both {@code
     * hostname -f} and the short name resolve.
     */
    static String ownNames(String hostname, String domainname) {
        String fqdn = domainname == null || domainname.isEmpty() ? hostname : hostname + "." + domainname;
        int dot = fqdn.indexOf('.');
        return dot > 0 ? fqdn + " " + fqdn.substring(0, dot) : fqdn;
    }

    /** {@code name:ip} (the API's form) or {@code name=ip}; the address may hold colons (IPv6). */
    static String[] extraHost(String h) {
        int eq = h.indexOf('=');
        int colon = h.indexOf(':');
        int at = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
        if (at <= 0 || at == h.length() - 1) {
            throw new InvalidArgumentException("invalid IP address in add-host: \"" + h + "\"");
        }
        String addr = h.substring(at + 1);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        if (!addr.equals("host-gateway") && !addr.contains(":")) {
            try {
                Subnet.ip(addr);
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("invalid IP address in add-host: \"" + addr + "\"");
            }
        }
        return new String[] {h.substring(0, at), addr};
    }

    /**
     * On a network with DNS: its server(s), with {@code --dns} as their upstream. On the default
     * bridge: the {@code --dns} servers, else the host's non-loopback ones.
     */
    static String resolvConf(NetworkService.StartRequest r, List<String> networkDns) {
        List<String> hostNs = new ArrayList<>();
        List<String> hostSearch = new ArrayList<>();
        List<String> hostOpts = new ArrayList<>();
        for (String line : dev.wharf.runtime.sys.HostFacts.resolvConf()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            switch (f[0]) {
                case "nameserver" -> {
                    if (!f[1].startsWith("127.") && !f[1].equals("::1")) {
                        hostNs.add(f[1]);
                    }
                }
                case "search" -> hostSearch = new ArrayList<>(List.of(f).subList(1, f.length));
                case "options" -> hostOpts.addAll(List.of(f).subList(1, f.length));
                default -> { }
            }
        }
        List<String> dns = r.dns() == null ? List.of() : r.dns();
        List<String> ns = !networkDns.isEmpty() ? networkDns : !dns.isEmpty() ? dns : hostNs;
        List<String> search = r.dnsSearch() != null && !r.dnsSearch().isEmpty() ? r.dnsSearch() : hostSearch;
        List<String> options = r.dnsOptions() != null && !r.dnsOptions().isEmpty() ? r.dnsOptions() : hostOpts;
        StringBuilder b = new StringBuilder();
        for (String n : ns) {
            b.append("nameserver ").append(n).append('\n');
        }
        if (!search.isEmpty() && !(search.size() == 1 && search.getFirst().equals("."))) {
            b.append("search ").append(String.join(" ", search)).append('\n');
        }
        if (!options.isEmpty()) {
            b.append("options ").append(String.join(" ", options)).append('\n');
        }
        return b.toString();
    }
}
