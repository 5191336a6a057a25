package dev.wharf.builder.instruction;

/** One name of an ARG instruction, with its default (unexpanded) or null. */
public record ArgDef(String name, String defaultValue) {
}
