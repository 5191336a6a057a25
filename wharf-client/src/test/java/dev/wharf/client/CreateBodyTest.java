package dev.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The create body written by hand is, byte for byte, the one the databind path writes. */
class CreateBodyTest {

    private static String databind(ContainerCreateRequest req) throws Exception {
        return Json.mapper().writeValueAsString(ContainersApi.createBody(req));
    }

    private static String streamed(ContainerCreateRequest req) {
        byte[] b = CreateBody.write(req);
        assertThat(b).as("written without databind").isNotNull();
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultsMatch() throws Exception {
        ContainerCreateRequest req = new ContainerCreateRequest(null, null, null);
        assertThat(streamed(req)).isEqualTo(databind(req));
    }

    @Test
    void everyFieldAndNestedValuesMatch() throws Exception {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("Test", List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"));
        health.put("Interval", 30_000_000_000L);
        health.put("Retries", 3);
        health.put("StartPeriod", null); // a null field of a nested object: dropped
        Map<String, Object> cfgOther = new LinkedHashMap<>();
        cfgOther.put("Healthcheck", health);
        cfgOther.put("MacAddress", "02:42:ac:11:00:02");
        cfgOther.put("Shell", null);
        ContainerConfig cfg = new ContainerConfig("web", "example.org", "1000:1000", false, true, true,
                Map.of("80/tcp", Map.of()), true, true, true, List.of("A=1", "B=é \"quoted\""),
                List.of("sh", "-c", "echo hi"), "busybox:latest", Map.of("/data", Map.of()), "/srv",
                List.of(""), Map.of("com.example", "x"), "SIGINT", 7, cfgOther);

        Map<String, Object> binding = new HashMap<>();
        binding.put("HostIp", "");
        binding.put("HostPort", null); // inside an array: kept, as databind's path keeps it
        Map<String, Object> hostOther = new LinkedHashMap<>();
        hostOther.put("PortBindings", Map.of("80/tcp", List.of(binding)));
        hostOther.put("Mounts", List.of(Map.of("Type", "volume", "Target", "/v", "ReadOnly", true)));
        hostOther.put("Memory", 268_435_456L);
        hostOther.put("NanoCpus", 1_500_000_000L);
        hostOther.put("CpuShares", (short) 512);
        hostOther.put("BlkioWeight", 0.5);
        hostOther.put("Dns", new ArrayList<>(Arrays.asList("1.1.1.1", null)));
        hostOther.put("Sysctls", new LinkedHashMap<>(Map.of("net.core.somaxconn", "1024")));
        hostOther.put("OomKillDisable", true);
        hostOther.put("CgroupParent", null);
        HostConfig host = new HostConfig("mynet", true, new HostConfig.LogConfig("json-file", Map.of("max-size", "1m")),
                new HostConfig.RestartPolicy("on-failure", 3), List.of("/a:/b:ro"), true, true, List.of(24, 80),
                67_108_864L, "runc", hostOther);

        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("Aliases", List.of("db"));
        endpoint.put("IPAMConfig", null);
        ContainerCreateRequest req = new ContainerCreateRequest(cfg, host,
                Map.of("EndpointsConfig", Map.of("mynet", endpoint)));

        String body = streamed(req);
        assertThat(body).isEqualTo(databind(req));
        assertThat(body).contains("\"HostPort\":null").doesNotContain("StartPeriod").doesNotContain("IPAMConfig");
    }

    @Test
    void partlyFilledNestedRecordsMatch() throws Exception {
        HostConfig host = new HostConfig(null, false, new HostConfig.LogConfig(null, null),
                new HostConfig.RestartPolicy(null, 0), null, false, false, null, null, null, null);
        ContainerCreateRequest req = new ContainerCreateRequest(ContainerConfig.empty(), host, null);
        assertThat(streamed(req)).isEqualTo(databind(req));
    }

    @Test
    void aValueThatIsNotPlainJsonIsLeftToDatabind() {
        record Custom(String name) {
        }
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("Custom", new Custom("x"));
        assertThat(CreateBody.write(new ContainerCreateRequest(null, HostConfig.defaults().withOther(other), null)))
                .isNull();
        Map<String, Object> decimal = new LinkedHashMap<>();
        decimal.put("NanoCpus", new BigDecimal("1500000000")); // databind's tree writes it as 1.5E+9
        assertThat(CreateBody.write(new ContainerCreateRequest(null, HostConfig.defaults().withOther(decimal), null)))
                .isNull();
    }

    @Test
    void anUninterpretedKeyThatNamesATypedFieldIsLeftToDatabind() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("NetworkMode", "host");
        assertThat(CreateBody.write(new ContainerCreateRequest(null, HostConfig.defaults().withOther(other), null)))
                .isNull();
    }
}
