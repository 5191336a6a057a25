package dev.wharf.compose.load;

/**
 * A compose file that cannot be used: the message names the file, the line and the key, as in
 * {@code compose.yaml:7:5: services.web.ports[0]: invalid port "80:x"}. Nothing has been done on
 * the daemon when this is thrown.
 */
public final class ComposeFileException extends RuntimeException {

    private final Location location;
    private final String key;

    public ComposeFileException(Location location, String key, String problem) {
        super(format(location, key, problem), null, false, false);
        this.location = location;
        this.key = key;
    }

    /** An error about the set of files or the environment, with no one place in a file. */
    public ComposeFileException(String message) {
        super(message, null, false, false);
        this.location = null;
        this.key = null;
    }

    private static String format(Location at, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        if (at != null) {
            sb.append(at).append(": ");
        }
        if (key != null && !key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** Where the error is, or null. */
    public Location location() {
        return location;
    }

    /** The dotted path of the offending key ({@code services.web.ports[0]}), or null. */
    public String key() {
        return key;
    }
}
