package dev.wharf.engine.network;

/**
 * A port as container list shows it: published ({@code publicPort} > 0, with the host address
 * it is bound to) or only exposed ({@code publicPort} 0, no address).
 */
public record ListedPort(String ip, int privatePort, int publicPort, String type) {

    public boolean published() {
        return publicPort > 0;
    }
}
