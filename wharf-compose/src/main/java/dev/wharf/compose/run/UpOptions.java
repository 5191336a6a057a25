package dev.wharf.compose.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code up}'s choices: the services named (empty: all), {@code --scale} overrides, {@code --build},
 * {@code --force-recreate}, {@code --no-recreate}, {@code --no-deps}, {@code --remove-orphans},
 * {@code --no-start}, and {@code --wait} with its timeout (null: none).
 */
public record UpOptions(List<String> services, Map<String, Integer> scale, boolean build, boolean forceRecreate,
        boolean noRecreate, boolean noDeps, boolean removeOrphans, boolean noStart, boolean waitReady, Duration waitTimeout) {

    public UpOptions {
        services = List.copyOf(services);
        scale = Map.copyOf(scale);
    }

    public static UpOptions defaults() {
        return new UpOptions(List.of(), Map.of(), false, false, false, false, false, false, false, null);
    }
}
