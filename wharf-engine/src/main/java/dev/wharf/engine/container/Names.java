package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Container names: Docker's validation, and generated names for containers created without one. */
final class Names {

    private static final Pattern VALID = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] LEFT = {"amber", "brave", "calm", "deft", "eager", "fond", "gentle", "hardy",
        "keen", "lively", "merry", "nimble", "proud", "quiet", "rapid", "sharp", "steady", "swift", "tidy", "vivid",
        "warm", "wise", "bold", "bright", "clever", "daring", "fair", "jolly", "lucid", "noble"};
    private static final String[] RIGHT = {"anchor", "barge", "buoy", "cargo", "crane", "dinghy", "dock", "ferry",
        "galley", "harbor", "hull", "jetty", "keel", "lantern", "mast", "mooring", "oar", "pier", "quay", "rudder",
        "sail", "schooner", "skiff", "tug", "wharf", "yawl", "bollard", "capstan", "hawser", "pilot"};

    private Names() {
    }

    /** The name without its leading slash, or an error in Docker's words. */
    static String validate(String name) {
        if (!VALID.matcher(name).matches()) {
            throw new InvalidArgumentException("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    static String generate() {
        return LEFT[RANDOM.nextInt(LEFT.length)] + "_" + RIGHT[RANDOM.nextInt(RIGHT.length)];
    }
}
