package dev.wharf.builder.dispatch;

/** Where build text goes: Docker's {@code stream} messages, each written whole. */
public interface BuildOutput {

    /** One {@code stream} message (usually ending in a newline). */
    void stream(String text);

    /**
     * One message of a FROM's pull: a status line, or a layer's ({@code id}) progress with its
     * byte counts in {@code detail}. A client sees them as it sees {@code docker pull}'s.
     */
    default void pullProgress(String status, String id, java.util.Map<String, Object> detail, String bar) {
        if (id == null && status != null) {
            stream(status + "\n");
        }
    }

    /** An {@code aux} message with the image ID. */
    default void aux(String imageId) {
    }
}
