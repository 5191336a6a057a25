package dev.wharf.cli.command.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf port CONTAINER [PRIVATE_PORT[/PROTO]]}: the published bindings from inspect's
 * {@code NetworkSettings.Ports}, {@code 80/tcp -> 0.0.0.0:8080} per binding (or just the host
 * address for one port), sorted naturally as docker does.
 */
@Command(name = "port")
public final class PortCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "CONTAINER [PRIVATE_PORT[/PROTO]]")
    List<String> args;

    @Override
    public Integer call() {
        requireBetween(args, 1, 2);
        String container = args.get(0);
        Map<String, Object> settings = cli.client().containers().inspect(container).networkSettings();
        JsonNode ports = Json.mapper().valueToTree(settings == null ? Map.of() : settings).path("Ports");
        List<String> out = new ArrayList<>();
        if (args.size() == 2) {
            String want = args.get(1);
            int slash = want.indexOf('/');
            String port = slash < 0 ? want : want.substring(0, slash);
            String proto = slash < 0 || slash == want.length() - 1 ? "tcp" : want.substring(slash + 1);
            int n;
            try {
                n = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > 65535) {
                throw new Cli.Exit(1, "Error: invalid port (" + port + ")");
            }
            JsonNode frontends = ports.path(port + "/" + proto);
            if (!frontends.isArray() || frontends.isEmpty()) {
                throw new Cli.Exit(1, "Error: No public port '" + want + "' published for " + container);
            }
            frontends.forEach(f -> out.add(hostPort(f)));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(f -> out.add(e.getKey() + " -> " + hostPort(f)));
                }
            }
        }
        if (!out.isEmpty()) {
            out.sort(NaturalOrder::compare);
            cli.out().println(String.join("\n", out));
        }
        return 0;
    }

    /** Go's net.JoinHostPort: brackets around an IPv6 host. */
    private static String hostPort(JsonNode binding) {
        String ip = binding.path("HostIp").asText("");
        String port = binding.path("HostPort").asText("");
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
