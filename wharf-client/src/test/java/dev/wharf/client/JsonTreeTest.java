package dev.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerSummary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-built records read as the shared databind mapper reads them. */
class JsonTreeTest {

    private static Map<String, Object> read(String json) throws Exception {
        return JsonTree.object(JsonTree.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void coercesLikeTheSharedMapper() throws Exception {
        Map<String, Object> m = read("{\"Names\":\"/web\",\"Created\":\"17\",\"Size\":null,\"Labels\":{\"a\":1,\"b\":true},"
                + "\"Big\":12345678901,\"Ports\":[{\"PrivatePort\":80}],\"Unknown\":[1.5]}");
        assertThat(JsonTree.strings(m, "Names")).containsExactly("/web");
        assertThat(JsonTree.number(m, "Created")).isEqualTo(17);
        assertThat(JsonTree.number(m, "Size")).isZero();
        assertThat(JsonTree.boxedNumber(m, "Size")).isNull();
        assertThat(JsonTree.boxedNumber(m, "Missing")).isNull();
        assertThat(JsonTree.number(m, "Big")).isEqualTo(12345678901L);
        assertThat(JsonTree.stringMap(m, "Labels")).containsExactly(Map.entry("a", "1"), Map.entry("b", "true"));
        assertThat(JsonTree.string(m, "Labels")).isNull();
        assertThat(JsonTree.list(m.get("Ports"))).first().isEqualTo(Map.of("PrivatePort", 80));
        assertThat(JsonTree.list(m.get("Unknown"))).containsExactly(1.5);
    }

    @Test
    void aContainerSummaryMatchesDatabinds() throws Exception {
        String json = "{\"Id\":\"abc\",\"Names\":[\"/web\"],\"Image\":\"busybox\",\"ImageID\":\"sha256:x\","
                + "\"Command\":\"sleep 9\",\"Created\":1700000000,\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,"
                + "\"PublicPort\":8080,\"Type\":\"tcp\"}],\"SizeRw\":12,\"Labels\":{\"k\":\"v\"},\"State\":\"running\","
                + "\"Status\":\"Up 1 second\",\"HostConfig\":{\"NetworkMode\":\"bridge\"},"
                + "\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"IPAddress\":\"10.0.0.2\"}}},\"Mounts\":[]}";
        ContainerSummary expected = Json.mapper().readValue(json, ContainerSummary.class);
        Map<String, Object> m = read(json);
        ContainerSummary mine = new ContainerSummary(JsonTree.string(m, "Id"), JsonTree.strings(m, "Names"),
                JsonTree.string(m, "Image"), JsonTree.string(m, "ImageID"), JsonTree.string(m, "Command"),
                JsonTree.number(m, "Created"), JsonTree.list(m.get("Ports")), JsonTree.boxedNumber(m, "SizeRw"),
                JsonTree.boxedNumber(m, "SizeRootFs"), JsonTree.stringMap(m, "Labels"), JsonTree.string(m, "State"),
                JsonTree.string(m, "Status"), JsonTree.object(m.get("HostConfig")),
                JsonTree.object(m.get("NetworkSettings")), JsonTree.list(m.get("Mounts")));
        assertThat(mine).isEqualTo(expected);
    }

    @Test
    void writesPlainValuesAsJson() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Cmd", List.of("sh", "-c", "echo \"hi\"\n"));
        body.put("Tty", false);
        body.put("DetachKeys", null);
        body.put("N", 3);
        String json = new String(JsonTree.write(body), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"Cmd\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\"],\"Tty\":false,\"DetachKeys\":null,\"N\":3}");
        assertThat(Json.mapper().readTree(json).get("Cmd").get(2).asText()).isEqualTo("echo \"hi\"\n");
    }
}
