package dev.wharf.compose.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.compose.model.Service;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code com.docker.compose.config-hash} of a service: the SHA-256 (hex) of its normalized
 * configuration as canonical JSON, leaving out what does not change a container, as Docker
 * Compose leaves it out ({@code build}, {@code pull_policy}, {@code scale}, {@code deploy.replicas},
 * {@code depends_on}, {@code profiles}). Docker Compose hashes its own Go structures, so the two
 * tools' hashes of one service differ: each recreates the other's containers once, on its first
 * {@code up}, and recognises them otherwise (project, service and number labels).
 */
public final class ConfigHash {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private ConfigHash() {
    }

    public static String of(Service s) {
        ObjectNode tree = CANONICAL.valueToTree(s);
        tree.remove(java.util.List.of("build", "pull_policy", "scale", "depends_on", "profiles"));
        if (tree.get("deploy") instanceof ObjectNode d) {
            d.remove("replicas");
            if (d.isEmpty()) {
                tree.remove("deploy");
            }
        }
        try {
            byte[] json = CANONICAL.writeValueAsBytes(tree);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical JSON itself (for tests and {@code config --hash} debugging). */
    static String json(Service s) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.valueToTree(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
