package dev.wharf.engine.build;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one build, as {@code POST /build} gives them: the Dockerfile's path in the
 * context, tags, build arguments, target, labels, the cache switches, what RUN containers get
 * (network mode, shm size, memory and CPU limits, extra hosts), the platform, registry auth by
 * host, and the secret IDs {@code wharf build} carries in the context.
 */
public record BuildOptions(String dockerfile, List<String> tags, Map<String, String> buildArgs, String target,
        Map<String, String> labels, boolean noCache, boolean pull, boolean rm, boolean forceRm, List<String> cacheFrom,
        String networkMode, Long shmSize, Map<String, Object> limits, List<String> extraHosts, String platform,
        Map<String, Map<String, Object>> auth, Set<String> secretIds) {

    public BuildOptions {
        tags = List.copyOf(tags);
        buildArgs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        labels = Map.copyOf(labels);
        cacheFrom = List.copyOf(cacheFrom);
        limits = Map.copyOf(limits);
        extraHosts = List.copyOf(extraHosts);
        auth = Map.copyOf(auth);
        secretIds = Set.copyOf(secretIds);
    }
}
