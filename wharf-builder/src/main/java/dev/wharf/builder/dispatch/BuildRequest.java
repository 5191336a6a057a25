package dev.wharf.builder.dispatch;

import java.util.List;
import java.util.Map;

/**
 * What one build asks for. {@code buildArgs} values may be null (declared without a value);
 * {@code labels} become a LABEL step at the end of the target stage; {@code cacheFrom} restricts
 * the cache to those images and their parents; {@code platform} is {@code os/arch} or null.
 */
public record BuildRequest(String dockerfile, List<String> tags, Map<String, String> buildArgs, String target,
        Map<String, String> labels, boolean noCache, boolean pull, List<String> cacheFrom, String platform) {

    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        labels = Map.copyOf(labels);
        cacheFrom = List.copyOf(cacheFrom);
    }
}
