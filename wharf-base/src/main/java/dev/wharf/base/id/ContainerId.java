package dev.wharf.base.id;

/**
 * A container's full 64-hex ID. It names the container everywhere below the API: the runtime's
 * container (runc, conmon), its directories and its database row all use {@link #value()}.
 */
public record ContainerId(String value) {

    public ContainerId {
        if (!HexId.isFull(value)) {
            throw new IllegalArgumentException("invalid container id: " + value);
        }
    }

    public static ContainerId random() {
        return new ContainerId(HexId.random());
    }

    /** The 12-hex short form Docker shows. */
    public String shortId() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }
}
