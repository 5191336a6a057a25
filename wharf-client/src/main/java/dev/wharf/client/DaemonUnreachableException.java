package dev.wharf.client;

/** The daemon's socket could not be reached at all (missing socket, refused, no permission). */
public final class DaemonUnreachableException extends WharfClientException {

    private final String address;

    public DaemonUnreachableException(String address, Throwable cause) {
        super("Cannot connect to the Wharf daemon at " + address + ". Is the wharf daemon running?", cause);
        this.address = address;
    }

    public String address() {
        return address;
    }
}
