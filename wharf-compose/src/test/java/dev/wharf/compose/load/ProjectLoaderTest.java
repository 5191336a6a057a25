package dev.wharf.compose.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.compose.model.Deploy;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {

    @TempDir
    Path dir;

    private Project load(Map<String, String> env, String... files) {
        return ProjectLoader.load(new ProjectLoader.Options(dir, List.of(files).stream().map(Path::of).toList(), null,
                null, List.of(), List.of(), env));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void load_findsComposeYamlAndItsOverride_andNamesTheProjectAfterTheFolder() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: nginx\n    ports: [\"8080:80\"]\n");
        write("compose.override.yaml", "services:\n  web:\n    ports: [\"8443:443\"]\n    environment: [A=1]\n");
        Project p = ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of()));
        assertThat(p.name()).isEqualTo(dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", ""));
        assertThat(p.configFiles()).containsExactly(dir.resolve("compose.yaml"), dir.resolve("compose.override.yaml"));
        Service web = p.service("web");
        assertThat(web.ports()).extracting(Service.Port::target).containsExactly(80, 443);
        assertThat(web.environment()).containsEntry("A", "1");
        assertThat(web.networks()).containsKey("default");
        assertThat(p.networks()).containsKey("default");
    }

    @Test
    void interpolation_defaultsErrorsDollarsAndDotEnv() throws IOException {
        write(".env", "TAG=1.2\nFROM_FILE=file\n");
        write("compose.yaml", """
                name: ${NAME:-demo}
                services:
                  web:
                    image: "busybox:${TAG}"
                    command: echo $$HOME ${UNSET-fallback} ${EMPTY:-empty} ${EMPTY-kept} ${SET:+alt}
                    environment:
                      FROM_FILE: ${FROM_FILE}
                      OVERRIDDEN: ${TAG}
                """);
        Project p = load(Map.of("EMPTY", "", "SET", "x", "TAG", "9"), "compose.yaml");
        assertThat(p.name()).isEqualTo("demo");
        Service web = p.service("web");
        assertThat(web.image()).isEqualTo("busybox:9");
        assertThat(web.command()).containsExactly("echo", "$HOME", "fallback", "empty", "alt");
        assertThat(web.environment()).containsEntry("FROM_FILE", "file").containsEntry("OVERRIDDEN", "9");
    }

    @Test
    void interpolation_requiredVariableMissing_namesFileLineAndKey() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    user: ${WHO:?who runs it}\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml"))
                .isInstanceOf(ComposeFileException.class)
                .hasMessage(dir.resolve("compose.yaml") + ":4:11: services.web.user: required variable WHO is missing a "
                        + "value: who runs it");
    }

    @Test
    void unknownKey_isRefusedWithItsLine() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: busybox\n\n    portz: [80]\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml"))
                .isInstanceOf(ComposeFileException.class)
                .satisfies(e -> {
                    ComposeFileException c = (ComposeFileException) e;
                    assertThat(c.location().line()).isEqualTo(5);
                    assertThat(c.key()).isEqualTo("services.web");
                })
                .hasMessageContaining("additional property portz is not allowed");
    }

    @Test
    void badValues_areRefusedWithTheirLine() throws IOException {
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    ports:\n      - \"80:http\"\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageStartingWith(dir.resolve("compose.yaml")
                + ":5:9: services.web.ports[0]: invalid port \"80:http\"");
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    volumes: [\"data:/d\"]\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining(":4:15: services.web.volumes[0]: "
                + "service refers to undefined volume data");
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    depends_on: [db]\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining("services.web.depends_on.db: "
                + "depends on undefined service db");
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    healthcheck:\n      interval: soon\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining(":5:17: services.web.healthcheck"
                + ".interval: invalid duration \"soon\"");
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    secrets: [token]\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining("services.web.secrets[0]: "
                + "refers to undefined secret token");
        write("compose.yaml", "services:\n  web:\n    image: busybox\n    ports: \"80\"\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining(":4:12: services.web.ports: "
                + "must be a list");
        write("compose.yaml", "services:\n  web: {image: busybox\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining("invalid YAML");
    }

    @Test
    void anchorsAndMergeKeys_extensionsAllowed() throws IOException {
        write("compose.yaml", """
                x-common: &common
                  image: busybox
                  restart: always
                  labels: {team: a}
                services:
                  a:
                    <<: *common
                  b:
                    <<: *common
                    restart: "no"
                """);
        Project p = load(Map.of(), "compose.yaml");
        assertThat(p.service("a").restart()).isEqualTo("always");
        assertThat(p.service("b").restart()).isEqualTo("no");
        assertThat(p.service("b").labels()).containsEntry("team", "a");
    }

    @Test
    void merge_followsTheSpecification() throws IOException {
        write("a.yaml", """
                services:
                  web:
                    image: busybox
                    command: [sh, -c, one]
                    environment: {A: "1", B: "1"}
                    labels: [x=1]
                    ports: ["8080:80"]
                    volumes: ["./a:/data", "/etc:/etc2:ro"]
                    dns: [1.1.1.1]
                    healthcheck: {test: [CMD, a], interval: 5s}
                """);
        write("b.yaml", """
                services:
                  web:
                    command: two
                    environment: [B=2, C=3]
                    labels: {y: "2"}
                    ports: ["8080:80", "9090:90"]
                    volumes: ["./b:/data"]
                    dns: [1.1.1.1, 8.8.8.8]
                    healthcheck: {test: [CMD, b]}
                """);
        Service web = load(Map.of(), "a.yaml", "b.yaml").service("web");
        assertThat(web.command()).containsExactly("two");
        assertThat(web.environment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("C", "3"));
        assertThat(web.labels()).containsEntry("x", "1").containsEntry("y", "2");
        assertThat(web.ports()).extracting(Service.Port::published).containsExactly("8080", "9090");
        assertThat(web.volumes()).extracting(Service.Mount::source)
                .containsExactly(dir.resolve("b").toString(), "/etc");
        assertThat(web.dns()).containsExactly("1.1.1.1", "8.8.8.8");
        assertThat(web.healthcheck().test()).containsExactly("CMD", "b");
        assertThat(web.healthcheck().interval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void resetAndOverrideTags() throws IOException {
        write("a.yaml", "services:\n  web:\n    image: busybox\n    ports: [\"80:80\"]\n    labels: {a: '1', b: '2'}\n");
        write("b.yaml", "services:\n  web:\n    ports: !reset []\n    labels: !override {c: '3'}\n");
        Service web = load(Map.of(), "a.yaml", "b.yaml").service("web");
        assertThat(web.ports()).isEmpty();
        assertThat(web.labels()).containsOnlyKeys("c");
    }

    @Test
    void longSyntaxes_deployAndProfiles() throws IOException {
        write("secret.txt", "s3cret");
        write("compose.yaml", """
                services:
                  api:
                    image: busybox
                    ports:
                      - {target: 80, published: "8080", host_ip: 127.0.0.1, protocol: tcp}
                    volumes:
                      - {type: volume, source: data, target: /data, read_only: true}
                      - {type: tmpfs, target: /tmp, tmpfs: {size: 1m}}
                    networks:
                      back: {aliases: [backend], ipv4_address: 172.30.0.10}
                    depends_on:
                      db: {condition: service_healthy, restart: true}
                    deploy:
                      replicas: 3
                      resources: {limits: {cpus: "0.5", memory: 64M}}
                      update_config: {parallelism: 2, order: start-first, failure_action: rollback, delay: 1s}
                    secrets: [token]
                    mem_limit: 1g
                    ulimits: {nofile: {soft: 100, hard: 200}, nproc: 50}
                    stop_grace_period: 1m30s
                  db:
                    image: busybox
                    healthcheck: {test: "true"}
                  debug:
                    image: busybox
                    profiles: [debug]
                networks:
                  back:
                    ipam: {config: [{subnet: 172.30.0.0/24}]}
                volumes:
                  data:
                secrets:
                  token: {file: ./secret.txt}
                """);
        Project p = load(Map.of(), "compose.yaml");
        assertThat(p.services()).containsOnlyKeys("api", "db");
        assertThat(p.disabled()).containsExactly("debug");
        Service api = p.service("api");
        assertThat(api.ports().getFirst()).isEqualTo(new Service.Port(80, "8080", "127.0.0.1", "tcp", null));
        assertThat(api.volumes().get(1).tmpfs()).containsEntry("size", 1L << 20);
        assertThat(api.networks().get("back").ipv4Address()).isEqualTo("172.30.0.10");
        assertThat(api.dependsOn().get("db")).isEqualTo(new Service.Dependency("service_healthy", true, true));
        assertThat(api.replicas()).isEqualTo(3);
        assertThat(api.resources().memory()).isEqualTo(64L << 20);
        assertThat(api.resources().nanoCpus()).isEqualTo(500_000_000L);
        assertThat(api.deploy().updateConfig()).isEqualTo(new Deploy.UpdateConfig(2, Duration.ofSeconds(1), "rollback",
                Duration.ZERO, 0.0, "start-first"));
        assertThat(api.secrets().getFirst().target()).isEqualTo("/run/secrets/token");
        assertThat(p.secrets().get("token").file()).isEqualTo(dir.resolve("secret.txt").toString());
        assertThat(api.ulimits().get("nproc")).isEqualTo(new Service.Ulimit(50, 50));
        assertThat(api.stopGracePeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.service("db").healthcheck().test()).containsExactly("CMD-SHELL", "true");
    }

    @Test
    void containerNameWithReplicas_andCycles_areRefused() throws IOException {
        write("compose.yaml", "services:\n  a:\n    image: x\n    container_name: a\n    scale: 2\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining("services.a.container_name");
        write("compose.yaml", "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n");
        assertThatThrownBy(() -> load(Map.of(), "compose.yaml")).hasMessageContaining("dependency cycle");
    }

    @Test
    void projectName_fromFlagThenEnvThenFile() throws IOException {
        write("compose.yaml", "name: fromfile\nservices:\n  a: {image: x}\n");
        assertThat(load(Map.of(), "compose.yaml").name()).isEqualTo("fromfile");
        assertThat(load(Map.of("COMPOSE_PROJECT_NAME", "fromenv"), "compose.yaml").name()).isEqualTo("fromenv");
        assertThat(ProjectLoader.load(new ProjectLoader.Options(dir, List.of(Path.of("compose.yaml")), null, "flag",
                List.of(), List.of(), Map.of())).name()).isEqualTo("flag");
        assertThatThrownBy(() -> ProjectLoader.load(new ProjectLoader.Options(dir, List.of(Path.of("compose.yaml")),
                null, "Bad Name", List.of(), List.of(), Map.of()))).hasMessageContaining("invalid project name");
    }

    @Test
    void noFile_isAClearError() {
        assertThatThrownBy(() -> ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of())))
                .isInstanceOf(ComposeFileException.class).hasMessageContaining("no configuration file provided");
    }
}
