package dev.wharf.daemon.http;

/** One route's code. Runs on its own virtual thread and may block. */
@FunctionalInterface
public interface Handler {
    void handle(Exchange ex) throws Exception;
}
