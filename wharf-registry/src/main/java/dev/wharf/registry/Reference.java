package dev.wharf.registry;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * An image reference as Docker normalises it: {@code nginx} is {@code docker.io/library/nginx:latest}.
 * {@code domain} is the registry ({@code docker.io}, {@code 127.0.0.1:5000}), {@code path} the
 * repository inside it ({@code library/nginx}); {@code tag} and {@code digest} may each be null.
 */
public record Reference(String domain, String path, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*"
                    + "[a-zA-Z0-9]))*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public Reference {
        if (domain == null || !DOMAIN.matcher(domain).matches()) {
            throw new InvalidArgumentException("invalid reference format");
        }
        if (path == null || path.isEmpty() || domain.length() + 1 + path.length() > 255) {
            throw new InvalidArgumentException("invalid reference format");
        }
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new InvalidArgumentException(path.equals(path.toLowerCase())
                        ? "invalid reference format"
                        : "invalid reference format: repository name (" + path + ") must be lowercase");
            }
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new InvalidArgumentException("invalid reference format");
        }
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            throw new InvalidArgumentException("invalid reference format");
        }
    }

    /** Parses {@code [domain/]path[:tag][@digest]}; neither tag nor digest is added. */
    public static Reference parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new InvalidArgumentException("invalid reference format");
        }
        String name = s;
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        String domain = DOCKER_HUB;
        String path = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase())) {
                domain = first;
                path = name.substring(slash + 1);
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        return new Reference(domain, path, tag, digest);
    }

    /**
     * Parses what {@code POST /images/create} gets: {@code fromImage} plus a separate {@code tag},
     * which may be a digest; neither given means {@code latest}.
     */
    public static Reference parse(String image, String tagOrDigest) {
        Reference r = parse(image);
        if (tagOrDigest != null && !tagOrDigest.isEmpty()) {
            r = tagOrDigest.startsWith("sha256:") ? r.withDigest(tagOrDigest) : r.withTag(tagOrDigest);
        }
        return r;
    }

    /** {@link #parse} with {@code latest} as the tag when neither tag nor digest is given. */
    public static Reference parseDefaultTag(String s) {
        Reference r = parse(s);
        return r.tag == null && r.digest == null ? r.withTag("latest") : r;
    }

    public Reference withTag(String t) {
        return new Reference(domain, path, t, null);
    }

    public Reference withDigest(String d) {
        return new Reference(domain, path, tag, d);
    }

    /** The repository without tag or digest. */
    public Reference repository() {
        return new Reference(domain, path, null, null);
    }

    /** {@code docker.io/library/nginx} */
    public String name() {
        return domain + "/" + path;
    }

    /** The name as Docker shows it: {@code nginx}, {@code user/app}, {@code 127.0.0.1:5000/app}. */
    public String familiarName() {
        if (!domain.equals(DOCKER_HUB)) {
            return name();
        }
        if (path.startsWith("library/") && path.indexOf('/', 8) < 0) {
            return path.substring(8);
        }
        return path;
    }

    /** {@code nginx:latest} (tag), {@code nginx@sha256:…} (digest). */
    public String familiar() {
        return familiarName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** What a registry request names: the tag when there is no digest. */
    public String tagOrDigest() {
        return digest != null ? digest : tag != null ? tag : "latest";
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
