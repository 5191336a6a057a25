package dev.wharf.builder.dispatch;

/** Where build text goes: Docker's {@code stream} messages, each written whole. */
public interface BuildOutput {

    /** One {@code stream} message (usually ending in a newline). */
    void stream(String text);

    /** An {@code aux} message with the image ID. */
    default void aux(String imageId) {
    }
}
