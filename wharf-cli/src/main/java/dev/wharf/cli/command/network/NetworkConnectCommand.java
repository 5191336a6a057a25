package dev.wharf.cli.command.network;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.NetworksApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf network connect [OPTIONS] NETWORK CONTAINER}. */
@Command(name = "network connect")
public final class NetworkConnectCommand extends WharfCommand {

    @Option(names = "--alias", paramLabel = "strings", description = "Add network-scoped alias for the container")
    List<String> aliases;

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., \"172.30.100.104\")")
    String ip;

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., \"2001:db8::33\")")
    String ip6;

    @Parameters(arity = "0..*", paramLabel = "NETWORK CONTAINER")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 2);
        NetworksApi.IpamConfig ipam = ip == null && ip6 == null ? null : new NetworksApi.IpamConfig(ip, ip6);
        List<String> a = orEmpty(aliases).isEmpty() ? null : aliases;
        cli.client().networks().connect(args.get(0), args.get(1),
                ipam == null && a == null ? null : new NetworksApi.EndpointConfig(a, ipam));
        return 0;
    }
}
