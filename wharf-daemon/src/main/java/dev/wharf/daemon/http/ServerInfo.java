package dev.wharf.daemon.http;

import java.util.Objects;

/** What the HTTP layer reports about the engine in every response's {@code Server} header. */
public record ServerInfo(String engineVersion) {
    public ServerInfo {
        Objects.requireNonNull(engineVersion, "engineVersion");
    }

    /** {@code Docker/25.0.0-wharf (linux)}. */
    public String serverHeader() {
        return "Docker/" + engineVersion + " (linux)";
    }
}
