package dev.wharf.engine.image;

/** The tag pushed, the manifest digest the registry has it under, and the manifest's size. */
public record PushResult(String tag, String digest, long size) {
}
