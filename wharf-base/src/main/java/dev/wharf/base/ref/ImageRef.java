package dev.wharf.base.ref;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * An image reference in its familiar form, as {@code RepoTags} show it: Docker Hub names without
 * {@code docker.io/} and official images without {@code library/}; a tag always present.
 */
public record ImageRef(String repository, String tag) {

    private static final Pattern REPO = Pattern.compile(
            "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    public ImageRef {
        if (repository == null || repository.length() > 255 || !REPO.matcher(repository).matches()) {
            throw new InvalidArgumentException("invalid reference format: repository name (" + repository
                    + ") must be lowercase");
        }
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new InvalidArgumentException("invalid tag format");
        }
    }

    /** Parses {@code name[:tag]}, normalising to the familiar form. A digest reference is refused. */
    public static ImageRef parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new InvalidArgumentException("invalid reference format");
        }
        if (s.contains("@")) {
            throw new InvalidArgumentException("invalid reference format: digest references are not supported yet");
        }
        String repo = s;
        String tag = "latest";
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        if (colon > slash) {
            repo = s.substring(0, colon);
            tag = s.substring(colon + 1);
        }
        return new ImageRef(familiar(repo), tag);
    }

    /** Parses a repository with an optional separate tag, as the API's {@code repo} and {@code tag} give it. */
    public static ImageRef parse(String repo, String tag) {
        if (tag == null || tag.isEmpty()) {
            return parse(repo);
        }
        return new ImageRef(familiar(repo), tag);
    }

    static String familiar(String repo) {
        if (!repo.equals(repo.toLowerCase()) && !repo.contains("/")) {
            throw new InvalidArgumentException("invalid reference format: repository name (" + repo
                    + ") must be lowercase");
        }
        String r = repo;
        for (String p : new String[] {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
            if (r.startsWith(p)) {
                r = r.substring(p.length());
                break;
            }
        }
        if (r.startsWith("library/") && r.indexOf('/', 8) < 0) {
            r = r.substring(8);
        }
        return r;
    }

    @Override
    public String toString() {
        return repository + ":" + tag;
    }
}
