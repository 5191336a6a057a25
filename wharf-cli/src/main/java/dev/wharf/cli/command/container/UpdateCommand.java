package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf update [OPTIONS] CONTAINER...}: new limits and restart policy on (running) containers. */
@Command(name = "update")
public final class UpdateCommand extends WharfCommand {

    @Mixin
    ResourceFlags resources = new ResourceFlags();

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits")
    String restart;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            resources.putInto(body);
            if (restart != null) {
                int colon = restart.indexOf(':');
                String name = colon < 0 ? restart : restart.substring(0, colon);
                int max = colon < 0 ? 0 : Integer.parseInt(restart.substring(colon + 1));
                body.put("RestartPolicy", Map.of("Name", name, "MaximumRetryCount", max));
            }
        } catch (NumberFormatException e) {
            cli.err().println("invalid argument: " + e.getMessage());
            return 125;
        } catch (IllegalArgumentException e) {
            cli.err().println("wharf: " + e.getMessage());
            return 125;
        }
        if (body.isEmpty()) {
            cli.err().println("you must provide one or more flags when using this command");
            return 1;
        }
        return EachArg.run(cli, containers, id -> {
            cli.client().containers().update(id, body);
            return id;
        });
    }
}
