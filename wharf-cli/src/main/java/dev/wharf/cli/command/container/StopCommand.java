package dev.wharf.cli.command.container;

import dev.wharf.client.ContainersApi.StopOptions;
import picocli.CommandLine.Command;

@Command(name = "stop")
public final class StopCommand extends StopLikeCommand {

    @Override
    void act(String id, StopOptions opts) {
        cli.client().containers().stop(id, opts);
    }
}
