package dev.wharf.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.runtime.Linux;
import dev.wharf.oci.runtime.Mount;
import dev.wharf.oci.runtime.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecGeneratorTest {

    static SpecInput base() {
        return new SpecInput(Path.of("/r/rootfs"), false, List.of("sh"), List.of(), null, 0, 0, List.of(), false,
                "abc123", new NetworkNamespace.New(), List.of(), "/wharf/abc", false, Map.of());
    }

    static Stream<Arguments> networkModes() {
        return Stream.of(
                Arguments.of(new NetworkNamespace.New(), false, List.of("pid", "ipc", "uts", "mount", "network"), null),
                Arguments.of(new NetworkNamespace.Host(), false, List.of("pid", "ipc", "uts", "mount"), null),
                Arguments.of(new NetworkNamespace.Path("/run/netns/x"), false,
                        List.of("pid", "ipc", "uts", "mount", "network"), "/run/netns/x"),
                Arguments.of(new NetworkNamespace.New(), true,
                        List.of("pid", "ipc", "uts", "mount", "network", "cgroup"), null));
    }

    @ParameterizedTest
    @MethodSource("networkModes")
    void namespaces_followNetworkModeAndCgroupns(NetworkNamespace net, boolean cgroupns, List<String> types,
            String netPath) {
        Spec s = SpecGenerator.generate(base().withNetwork(net).withPrivateCgroupns(cgroupns));
        assertThat(s.linux().namespaces()).extracting(Linux.Namespace::type).containsExactlyElementsOf(types);
        s.linux().namespaces().stream().filter(n -> n.type().equals("network")).findFirst()
                .ifPresent(n -> assertThat(n.path()).isEqualTo(netPath));
    }

    static Stream<Arguments> envCases() {
        // Docker's default when neither image nor request sets PATH (moby: oci.DefaultPathEnv)
        String p = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return Stream.of(
                Arguments.of(List.of(), false, List.of(p, "HOSTNAME=abc123")),
                Arguments.of(List.of("PATH=/x", "A=1"), false, List.of("PATH=/x", "HOSTNAME=abc123", "A=1")),
                Arguments.of(List.of("A=1"), true, List.of(p, "HOSTNAME=abc123", "TERM=xterm", "A=1")),
                Arguments.of(List.of("TERM=vt100"), true, List.of(p, "HOSTNAME=abc123", "TERM=vt100")),
                Arguments.of(List.of("HOSTNAME=mine", "B=2"), false, List.of(p, "HOSTNAME=mine", "B=2")));
    }

    @ParameterizedTest
    @MethodSource("envCases")
    void env_addsDockerDefaults(List<String> env, boolean tty, List<String> expected) {
        Spec s = SpecGenerator.generate(base().withEnv(env).withTerminal(tty));
        assertThat(s.process().env()).containsExactlyElementsOf(expected);
        assertThat(s.process().terminal()).isEqualTo(tty ? Boolean.TRUE : null);
    }

    @Test
    void capabilities_rootGetsDefaultSetInBoundingEffectivePermitted() {
        var caps = SpecGenerator.generate(base()).process().capabilities();
        assertThat(caps.bounding()).hasSize(14).contains("CAP_CHOWN", "CAP_NET_RAW", "CAP_AUDIT_WRITE")
                .doesNotContain("CAP_SYS_ADMIN", "CAP_NET_ADMIN");
        assertThat(caps.effective()).isEqualTo(caps.bounding());
        assertThat(caps.permitted()).isEqualTo(caps.bounding());
        assertThat(caps.inheritable()).isNull();
        assertThat(caps.ambient()).isNull();
    }

    @Test
    void capabilities_nonRootGetsBoundingOnly() {
        var s = SpecGenerator.generate(base().withUser(1000, 1000, List.of(10, 20)));
        assertThat(s.process().capabilities().bounding()).hasSize(14);
        assertThat(s.process().capabilities().effective()).isNull();
        assertThat(s.process().capabilities().permitted()).isNull();
        assertThat(s.process().user().uid()).isEqualTo(1000);
        assertThat(s.process().user().additionalGids()).containsExactly(10L, 20L);
    }

    @Test
    void confinement_matchesDockerDefaults() {
        Spec s = SpecGenerator.generate(base());
        assertThat(s.ociVersion()).isEqualTo("1.0.2");
        assertThat(s.hostname()).isEqualTo("abc123");
        assertThat(s.process().cwd()).isEqualTo("/");
        assertThat(s.process().noNewPrivileges()).isFalse();
        assertThat(s.process().rlimits()).isNull();
        assertThat(s.process().oomScoreAdj()).isNull();
        assertThat(s.linux().maskedPaths()).contains("/proc/kcore", "/sys/firmware", "/sys/devices/virtual/powercap")
                .hasSize(11);
        assertThat(s.linux().readonlyPaths()).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                "/proc/sysrq-trigger");
        assertThat(s.mounts()).extracting(Mount::destination).containsExactly("/proc", "/dev", "/dev/pts", "/sys",
                "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(s.linux().devices()).extracting(Linux.Device::path).containsExactly("/dev/null", "/dev/zero",
                "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
        var rules = s.linux().resources().devices();
        assertThat(rules.getFirst().allow()).isFalse();
        assertThat(rules.getFirst().access()).isEqualTo("rwm");
        assertThat(rules).anySatisfy(r -> {
            assertThat(r.major()).isEqualTo(136L);
            assertThat(r.minor()).isNull();
        });
        assertThat(s.linux().cgroupsPath()).isEqualTo("/wharf/abc");
    }

    @Test
    void binds_andReadonlyRootfs() {
        SpecInput in = new SpecInput(Path.of("/r/rootfs"), true, List.of("sh"), List.of(), "/work", 0, 0, List.of(),
                false, "h", new NetworkNamespace.Host(),
                List.of(new BindFile(Path.of("/c/hosts"), "/etc/hosts", false),
                        new BindFile(Path.of("/c/resolv.conf"), "/etc/resolv.conf", true)),
                null, false, Map.of("a", "b"));
        Spec s = SpecGenerator.generate(in);
        assertThat(s.root().readonly()).isTrue();
        assertThat(s.process().cwd()).isEqualTo("/work");
        assertThat(s.mounts()).contains(
                new Mount("/etc/hosts", "bind", "/c/hosts", List.of("rbind", "rprivate")),
                new Mount("/etc/resolv.conf", "bind", "/c/resolv.conf", List.of("rbind", "rprivate", "ro")));
        assertThat(s.annotations()).containsEntry("a", "b");
    }

    @Test
    void json_usesOciFieldNamesAndOmitsNulls() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode j = m.readTree(m.writeValueAsString(SpecGenerator.generate(base())));
        assertThat(j.path("ociVersion").asText()).isEqualTo("1.0.2");
        assertThat(j.path("process").path("user").path("uid").asInt()).isZero();
        assertThat(j.path("process").has("rlimits")).isFalse();
        assertThat(j.path("process").has("terminal")).isFalse();
        assertThat(j.path("root").path("path").asText()).isEqualTo("/r/rootfs");
        assertThat(j.path("linux").path("cgroupsPath").asText()).isEqualTo("/wharf/abc");
        assertThat(j.path("linux").path("resources").path("devices").get(0).has("major")).isFalse();
        assertThat(j.path("linux").path("devices").get(0).path("fileMode").asInt()).isEqualTo(0666);
        assertThat(j.path("linux").has("maskedPaths")).isTrue();
        // round trip
        assertThat(m.readValue(m.writeValueAsString(SpecGenerator.generate(base())), Spec.class))
                .isEqualTo(SpecGenerator.generate(base()));
    }
}
