package dev.wharf.cli.command.network;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.model.network.Network;
import dev.wharf.model.network.NetworkCreateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf network create [OPTIONS] NETWORK}: prints the new network's ID. */
@Command(name = "network create")
public final class NetworkCreateCommand extends WharfCommand {

    @Option(names = "--attachable", description = "Enable manual container attachment")
    boolean attachable;

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Driver to manage the Network (default \"bridge\")")
    String driver = "bridge";

    @Option(names = "--gateway", paramLabel = "strings", description = "IPv4 or IPv6 Gateway for the master subnet")
    List<String> gateways;

    @Option(names = "--internal", description = "Restrict external access to the network")
    boolean internal;

    @Option(names = "--ip-range", paramLabel = "strings", description = "Allocate container ip from a sub-range")
    List<String> ipRanges;

    @Option(names = "--ipv6", description = "Enable or disable IPv6 networking")
    boolean ipv6;

    @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network")
    List<String> labels;

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
    List<String> opts;

    @Option(names = "--subnet", paramLabel = "strings", description = "Subnet in CIDR format that represents a network segment")
    List<String> subnets;

    @Parameters(arity = "0..*", paramLabel = "NETWORK")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 1);
        var req = new NetworkCreateRequest(args.getFirst(), driver, internal, attachable, ipv6,
                new Network.Ipam("default", Map.of(), ipamConfig(orEmpty(subnets), orEmpty(gateways),
                        orEmpty(ipRanges))),
                pairs(opts), pairs(labels));
        cli.out().println(cli.client().networks().create(req).id());
        return 0;
    }

    /** Pairs each gateway and range with the one subnet, or with the subnet at the same position. */
    static List<Network.IpamConfig> ipamConfig(List<String> subnets, List<String> gateways, List<String> ranges) {
        if (subnets.isEmpty() && !(gateways.isEmpty() && ranges.isEmpty())) {
            throw new Cli.Exit(1, "every ip-range or gateway must have a corresponding subnet");
        }
        if (gateways.size() > subnets.size() || ranges.size() > subnets.size()) {
            throw new Cli.Exit(1, "every ip-range or gateway must have a corresponding subnet");
        }
        List<Network.IpamConfig> out = new ArrayList<>();
        for (int i = 0; i < subnets.size(); i++) {
            out.add(new Network.IpamConfig(subnets.get(i), i < ranges.size() ? ranges.get(i) : null,
                    i < gateways.size() ? gateways.get(i) : null));
        }
        return out;
    }

    static Map<String, String> pairs(List<String> l) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : orEmpty(l)) {
            int i = kv.indexOf('=');
            m.put(i < 0 ? kv : kv.substring(0, i), i < 0 ? "" : kv.substring(i + 1));
        }
        return m;
    }
}
