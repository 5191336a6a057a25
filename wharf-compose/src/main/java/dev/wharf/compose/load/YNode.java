package dev.wharf.compose.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written, after anchors, aliases and merge keys are resolved.
 * Merging and interpolation work on this tree; the typed model is read from it last, so every
 * error can still name the file and line.
 */
sealed interface YNode permits YNode.YMap, YNode.YSeq, YNode.YScalar {

    Location at();

    /** The YAML tag when one was written explicitly ({@code !reset}, {@code !override}), else null. */
    String tag();

    /** A mapping: keys in the order written, each with where the key itself was written. */
    record YMap(Map<String, YNode> entries, Map<String, Location> keys, Location at, String tag) implements YNode {
        public YMap {
            entries = new LinkedHashMap<>(entries);
            keys = new LinkedHashMap<>(keys);
        }

        YNode get(String key) {
            return entries.get(key);
        }

        Location keyAt(String key) {
            Location l = keys.get(key);
            return l == null ? at : l;
        }
    }

    record YSeq(List<YNode> items, Location at, String tag) implements YNode {
        public YSeq {
            items = List.copyOf(items);
        }
    }

    /**
     * A scalar: its text and whether YAML read it as a string (quoted, or plain text that is not
     * a number, boolean or null).
     */
    record YScalar(String value, Kind kind, Location at, String tag) implements YNode {

        enum Kind { STRING, INT, FLOAT, BOOL, NULL }

        boolean isNull() {
            return kind == Kind.NULL;
        }

        YScalar withValue(String v) {
            return new YScalar(v, kind, at, tag);
        }
    }
}
