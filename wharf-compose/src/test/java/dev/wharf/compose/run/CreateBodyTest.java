package dev.wharf.compose.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.compose.load.ProjectLoader;
import dev.wharf.compose.model.Project;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerCreateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateBodyTest {

    @TempDir
    Path dir;

    private JsonNode body(String yaml, String service, boolean serviceAlias) throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        Files.writeString(dir.resolve("cert.pem"), "x");
        Project p = ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of()));
        ContainerCreateRequest r = CreateBody.of(p, p.service(service), 2, "h".repeat(64), "sha256:abc", serviceAlias);
        JsonNode cfg = Json.mapper().valueToTree(r.config());
        ((com.fasterxml.jackson.databind.node.ObjectNode) cfg).set("HostConfig", Json.mapper().valueToTree(r.hostConfig()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) cfg).set("NetworkingConfig",
                Json.mapper().valueToTree(r.networkingConfig()));
        return cfg;
    }

    @Test
    void servicesReferredToByModesVolumesFromAndLinks_areItsContainers_andStartFirst() throws Exception {
        String yaml = """
                name: shop
                services:
                  app:
                    image: busybox
                    network_mode: "service:web"
                    pid: "service:db"
                    ipc: shareable
                    volumes_from: ["db:ro", "container:other"]
                    links: ["db:database", "cache"]
                    external_links: ["legacy:old"]
                  web: {image: busybox}
                  db: {image: busybox, container_name: the-db}
                  cache: {image: busybox, deploy: {replicas: 2}}
                """;
        JsonNode b = body(yaml, "app", false).path("HostConfig");
        assertThat(b.path("NetworkMode").asText()).isEqualTo("container:shop-web-1");
        assertThat(b.path("PidMode").asText()).isEqualTo("container:the-db");
        assertThat(b.path("IpcMode").asText()).isEqualTo("shareable");
        assertThat(b.path("VolumesFrom")).hasToString("[\"the-db:ro\",\"other\"]");
        assertThat(b.path("Links")).hasToString(
                "[\"the-db:database\",\"shop-cache-1:cache\",\"shop-cache-2:cache\",\"legacy:old\"]");
        Project p = ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of()));
        assertThat(p.service("app").dependsOn()).containsOnlyKeys("web", "db", "cache");
        java.util.List<String> order = dev.wharf.compose.model.ServiceGraph.startOrder(p.services());
        assertThat(order.indexOf("app")).isGreaterThan(order.indexOf("web")).isGreaterThan(order.indexOf("db"))
                .isGreaterThan(order.indexOf("cache"));

        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  app: {image: busybox, volumes_from: [nosuch]}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of())))
                .hasMessageContaining("services.app.volumes_from: depends on undefined service nosuch");
    }

    @Test
    void serviceSettings_becomeTheDockerCreateBody() throws Exception {
        JsonNode b = body("""
                name: shop
                services:
                  api:
                    image: busybox
                    command: [httpd, -f]
                    environment: {B: "2", A: "1"}
                    ports: ["127.0.0.1:8080:80/tcp"]
                    expose: ["9000"]
                    volumes: ["data:/data:ro", "./src:/src", {type: tmpfs, target: /cache}]
                    networks:
                      back: {aliases: [backend], ipv4_address: 172.30.0.10}
                    healthcheck: {test: [CMD, "true"], interval: 2s, retries: 4}
                    restart: on-failure:3
                    user: "1000"
                    working_dir: /app
                    labels: {tier: api}
                    extra_hosts: ["db.local:10.0.0.1"]
                    dns: [127.0.0.1]
                    cap_add: [NET_ADMIN]
                    cap_drop: [ALL]
                    privileged: true
                    read_only: true
                    tmpfs: ["/run:size=1m"]
                    ulimits: {nofile: {soft: 100, hard: 200}}
                    mem_limit: 64m
                    cpus: 0.5
                    init: true
                    stop_signal: SIGINT
                    stop_grace_period: 20s
                    logging: {driver: local, options: {max-size: 1m}}
                    secrets: [cert]
                networks:
                  back:
                volumes:
                  data:
                secrets:
                  cert: {file: ./cert.pem}
                """, "api", true);
        assertThat(b.path("Image").asText()).isEqualTo("busybox");
        assertThat(b.path("Cmd")).hasToString("[\"httpd\",\"-f\"]");
        assertThat(b.path("Env")).hasToString("[\"A=1\",\"B=2\"]");
        assertThat(b.path("User").asText()).isEqualTo("1000");
        assertThat(b.path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(b.path("StopSignal").asText()).isEqualTo("SIGINT");
        assertThat(b.path("StopTimeout").asInt()).isEqualTo(20);
        assertThat(b.path("ExposedPorts").has("80/tcp")).isTrue();
        assertThat(b.path("ExposedPorts").has("9000/tcp")).isTrue();
        assertThat(b.path("Healthcheck").path("Interval").asLong()).isEqualTo(2_000_000_000L);
        assertThat(b.path("Healthcheck").path("Retries").asInt()).isEqualTo(4);
        JsonNode l = b.path("Labels");
        assertThat(l.path("tier").asText()).isEqualTo("api");
        assertThat(l.path("com.docker.compose.project").asText()).isEqualTo("shop");
        assertThat(l.path("com.docker.compose.service").asText()).isEqualTo("api");
        assertThat(l.path("com.docker.compose.container-number").asText()).isEqualTo("2");
        assertThat(l.path("com.docker.compose.oneoff").asText()).isEqualTo("False");
        assertThat(l.path("com.docker.compose.image").asText()).isEqualTo("sha256:abc");
        JsonNode h = b.path("HostConfig");
        assertThat(h.path("NetworkMode").asText()).isEqualTo("shop_back");
        assertThat(h.path("PortBindings").path("80/tcp").path(0).path("HostIp").asText()).isEqualTo("127.0.0.1");
        assertThat(h.path("PortBindings").path("80/tcp").path(0).path("HostPort").asText()).isEqualTo("8080");
        assertThat(h.path("Binds")).hasToString("[\"" + dir.resolve("src") + ":/src:rw\",\"" + dir.resolve("cert.pem")
                + ":/run/secrets/cert:ro\"]");
        assertThat(h.path("Mounts").path(0).path("Source").asText()).isEqualTo("shop_data");
        assertThat(h.path("Mounts").path(0).path("ReadOnly").asBoolean()).isTrue();
        assertThat(h.path("Mounts").path(1).path("Type").asText()).isEqualTo("tmpfs");
        assertThat(h.path("RestartPolicy").path("Name").asText()).isEqualTo("on-failure");
        assertThat(h.path("RestartPolicy").path("MaximumRetryCount").asInt()).isEqualTo(3);
        assertThat(h.path("ExtraHosts")).hasToString("[\"db.local:10.0.0.1\"]");
        assertThat(h.path("CapAdd")).hasToString("[\"NET_ADMIN\"]");
        assertThat(h.path("Privileged").asBoolean()).isTrue();
        assertThat(h.path("ReadonlyRootfs").asBoolean()).isTrue();
        assertThat(h.path("Tmpfs").path("/run").asText()).isEqualTo("size=1m");
        assertThat(h.path("Ulimits").path(0).path("Hard").asLong()).isEqualTo(200);
        assertThat(h.path("Memory").asLong()).isEqualTo(64L << 20);
        assertThat(h.path("NanoCpus").asLong()).isEqualTo(500_000_000L);
        assertThat(h.path("Init").asBoolean()).isTrue();
        assertThat(h.path("LogConfig").path("Type").asText()).isEqualTo("local");
        JsonNode ep = b.path("NetworkingConfig").path("EndpointsConfig").path("shop_back");
        assertThat(ep.path("Aliases")).hasToString("[\"shop-api-2\",\"api\",\"backend\"]");
        assertThat(ep.path("IPAMConfig").path("IPv4Address").asText()).isEqualTo("172.30.0.10");
    }

    @Test
    void aReplicaInARollingUpdate_answersOnlyToItsOwnNameUntilHealthy() throws Exception {
        JsonNode b = body("name: shop\nservices:\n  api: {image: busybox, deploy: {replicas: 3}}\n", "api", false);
        assertThat(b.path("NetworkingConfig").path("EndpointsConfig").path("shop_default").path("Aliases"))
                .hasToString("[\"shop-api-2\"]");
    }
}
