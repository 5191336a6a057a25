package dev.wharf.model.container;

import java.util.Map;

/**
 * The body of {@code POST /containers/create}: the container config at top level, plus
 * {@code HostConfig} and {@code NetworkingConfig}. Split apart by the route, since the config
 * fields share the top level with the other two.
 */
public record ContainerCreateRequest(ContainerConfig config, HostConfig hostConfig,
        Map<String, Object> networkingConfig) {

    public ContainerCreateRequest {
        if (config == null) {
            config = ContainerConfig.empty();
        }
        if (hostConfig == null) {
            hostConfig = HostConfig.defaults();
        }
    }
}
