package dev.wharf.model.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The body of {@code GET /images/{name}/json}. */
public record ImageInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("Container") @JsonInclude(JsonInclude.Include.NON_NULL) String container,
        @JsonProperty("ContainerConfig") @JsonInclude(JsonInclude.Include.NON_NULL) ImageConfigView containerConfig,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonProperty("Config") ImageConfigView config,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Os") String os,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") @JsonInclude(JsonInclude.Include.NON_NULL) Long virtualSize,
        @JsonProperty("GraphDriver") Map<String, Object> graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Metadata") Map<String, Object> metadata) {

    /** Without the fields Docker stops sending at API 1.45 ({@code Container}, {@code ContainerConfig}). */
    public ImageInspect withoutPre145Fields() {
        return new ImageInspect(id, repoTags, repoDigests, parent, comment, created, null, null, dockerVersion,
                author, config, architecture, os, size, virtualSize, graphDriver, rootFs, metadata);
    }

    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {
    }
}
