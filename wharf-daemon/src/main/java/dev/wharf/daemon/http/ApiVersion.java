package dev.wharf.daemon.http;

import dev.wharf.base.error.InvalidArgumentException;

/** A Docker Engine API version such as 1.44, taken from a {@code /v1.44/} path prefix. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion CURRENT = new ApiVersion(1, 44);
    public static final ApiVersion MIN = new ApiVersion(1, 24);

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new InvalidArgumentException("invalid API version " + major + "." + minor);
        }
    }

    /** Parses {@code "1.44"}; anything else is an {@link InvalidArgumentException}. */
    public static ApiVersion parse(String s) {
        int dot = s == null ? -1 : s.indexOf('.');
        if (dot <= 0 || dot == s.length() - 1 || s.indexOf('.', dot + 1) >= 0) {
            throw new InvalidArgumentException("invalid API version " + s);
        }
        try {
            return new ApiVersion(Integer.parseInt(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid API version " + s);
        }
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new ApiVersion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
