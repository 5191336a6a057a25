package dev.wharf.builder.instruction;

/** A {@code key=value} of ENV or LABEL, still unexpanded ({@code legacy}: the {@code ENV key value} form). */
public record KeyValue(String key, String value, boolean legacy) {
}
