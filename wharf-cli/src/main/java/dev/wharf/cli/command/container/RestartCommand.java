package dev.wharf.cli.command.container;

import dev.wharf.client.ContainersApi.StopOptions;
import picocli.CommandLine.Command;

@Command(name = "restart")
public final class RestartCommand extends StopLikeCommand {

    @Override
    void act(String id, StopOptions opts) {
        cli.client().containers().restart(id, opts);
    }
}
