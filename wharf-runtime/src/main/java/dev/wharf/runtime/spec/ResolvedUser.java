package dev.wharf.runtime.spec;

import java.util.List;

/** A user spec resolved against the image's passwd and group files. */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
