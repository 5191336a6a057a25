package dev.wharf.compose.load;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.load.YNode.YScalar;
import dev.wharf.compose.load.YNode.YSeq;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads one compose file into a {@link YNode} tree with SnakeYAML Engine (YAML 1.2, core schema),
 * keeping every node's line and column. Anchors and aliases are resolved by the composer; merge
 * keys ({@code <<: *base} or {@code <<: [*a, *b]}) are applied here: keys written in the mapping
 * win over merged ones, and an earlier merged mapping wins over a later one.
 */
final class YamlReader {

    private static final int MAX_DEPTH = 64;

    private final String file;
    private final Map<Node, Boolean> visiting = new IdentityHashMap<>();

    private YamlReader(String file) {
        this.file = file;
    }

    /** The document of {@code text}, an empty mapping for an empty file. */
    static YNode read(String file, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setSchema(new CoreSchema())
                .setAllowRecursiveKeys(false).setMaxAliasesForCollections(1000).setUseMarks(true).build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().map(m -> loc(file, m)).orElse(new Location(file, 1, 1));
            throw new ComposeFileException(at, null, "invalid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ComposeFileException(new Location(file, 1, 1), null, "invalid YAML: " + e.getMessage());
        }
        if (root.isEmpty()) {
            return new YMap(Map.of(), Map.of(), new Location(file, 1, 1), null);
        }
        return new YamlReader(file).convert(root.get(), 0);
    }

    private static Location loc(String file, Mark m) {
        return new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private Location at(Node n) {
        return n.getStartMark().map(m -> loc(file, m)).orElse(new Location(file, 1, 1));
    }

    private static String explicitTag(Node n) {
        Tag t = n.getTag();
        String v = t.getValue();
        return v.startsWith("!") && !v.startsWith("!!") ? v : null;
    }

    private YNode convert(Node n, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ComposeFileException(at(n), null, "YAML nested too deep (a recursive anchor?)");
        }
        if (visiting.put(n, Boolean.TRUE) != null) {
            throw new ComposeFileException(at(n), null, "recursive YAML alias");
        }
        try {
            return switch (n) {
                case ScalarNode s -> scalar(s);
                case SequenceNode s -> {
                    List<YNode> items = new ArrayList<>();
                    for (Node item : s.getValue()) {
                        items.add(convert(item, depth + 1));
                    }
                    yield new YSeq(items, at(s), explicitTag(s));
                }
                case MappingNode m -> mapping(m, depth);
                default -> throw new ComposeFileException(at(n), null, "unsupported YAML node");
            };
        } finally {
            visiting.remove(n);
        }
    }

    private YScalar scalar(ScalarNode s) {
        YScalar.Kind kind = YScalar.Kind.STRING;
        if (s.getScalarStyle() == ScalarStyle.PLAIN) {
            Tag t = s.getTag();
            if (t.equals(Tag.INT)) {
                kind = YScalar.Kind.INT;
            } else if (t.equals(Tag.FLOAT)) {
                kind = YScalar.Kind.FLOAT;
            } else if (t.equals(Tag.BOOL)) {
                kind = YScalar.Kind.BOOL;
            } else if (t.equals(Tag.NULL)) {
                kind = YScalar.Kind.NULL;
            }
        }
        return new YScalar(s.getValue(), kind, at(s), explicitTag(s));
    }

    private YMap mapping(MappingNode m, int depth) {
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, Location> keys = new LinkedHashMap<>();
        List<YMap> merged = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                throw new ComposeFileException(at(k), null, "a mapping key must be a scalar");
            }
            String key = ks.getValue();
            if (key.equals("<<") && ks.getScalarStyle() == ScalarStyle.PLAIN) {
                YNode v = convert(t.getValueNode(), depth + 1);
                switch (v) {
                    case YMap mm -> merged.add(mm);
                    case YSeq seq -> {
                        for (YNode item : seq.items()) {
                            if (!(item instanceof YMap mm)) {
                                throw new ComposeFileException(item.at(), "<<", "a merge key takes mappings only");
                            }
                            merged.add(mm);
                        }
                    }
                    default -> throw new ComposeFileException(v.at(), "<<", "a merge key takes a mapping or a list of mappings");
                }
                continue;
            }
            if (entries.containsKey(key)) {
                throw new ComposeFileException(at(k), key, "duplicate key (first at line " + keys.get(key).line() + ")");
            }
            entries.put(key, convert(t.getValueNode(), depth + 1));
            keys.put(key, at(k));
        }
        for (YMap mm : merged) {
            mm.entries().forEach((k, v) -> {
                if (!entries.containsKey(k)) {
                    entries.put(k, v);
                    keys.put(k, mm.keyAt(k));
                }
            });
        }
        return new YMap(entries, keys, at(m), explicitTag(m));
    }
}
