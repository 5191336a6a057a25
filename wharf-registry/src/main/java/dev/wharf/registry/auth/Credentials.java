package dev.wharf.registry.auth;

/**
 * What a client gives to reach a registry: a username and password, or an identity (refresh)
 * token from an earlier login, or a registry token to send as it is; all null for anonymous.
 * {@link #toString()} never shows a secret.
 */
public record Credentials(String username, String password, String identityToken, String registryToken) {

    private static final Credentials ANONYMOUS = new Credentials(null, null, null, null);

    public static Credentials anonymous() {
        return ANONYMOUS;
    }

    public static Credentials basic(String username, String password) {
        return new Credentials(username, password, null, null);
    }

    public boolean isAnonymous() {
        return blank(username) && blank(password) && blank(identityToken) && blank(registryToken);
    }

    public boolean hasPassword() {
        return !blank(username) && !blank(password);
    }

    /** A key that tells credentials apart in a cache without keeping them readable. */
    String cacheKey() {
        if (isAnonymous()) {
            return "";
        }
        return Integer.toHexString(java.util.Objects.hash(username, password, identityToken, registryToken));
    }

    static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    @Override
    public String toString() {
        return isAnonymous() ? "Credentials[anonymous]" : "Credentials[user=" + username + ", secrets hidden]";
    }
}
