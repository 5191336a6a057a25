package dev.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryOptionsTest {

    @Test
    void defaultsShowLoopbackAsInsecureAndDockerHubAsOfficial() {
        Map<String, Object> c = RegistryOptions.defaults().serviceConfig();
        assertThat(c).containsOnlyKeys("InsecureRegistryCIDRs", "IndexConfigs", "Mirrors");
        assertThat(c.get("InsecureRegistryCIDRs")).isEqualTo(List.of("::1/128", "127.0.0.0/8"));
        assertThat(c.get("Mirrors")).isEqualTo(List.of());
        assertThat(c.get("IndexConfigs")).isEqualTo(Map.of("docker.io",
                Map.of("Name", "docker.io", "Mirrors", List.of(), "Secure", true, "Official", true)));
    }

    @Test
    void insecureHostsAndRangesAndMirrorsAreListedAsDockerDoes() {
        RegistryOptions o = new RegistryOptions(List.of("10.1.2.3/16", "myreg.local:5000", "fd00::1/64"),
                List.of(URI.create("https://mirror.example:5000"), URI.create("http://m2/path/")),
                Path.of("/etc/wharf/certs.d"), 3, 5);
        Map<String, Object> c = o.serviceConfig();
        assertThat(c.get("InsecureRegistryCIDRs")).isEqualTo(List.of("::1/128", "127.0.0.0/8", "10.1.0.0/16",
                "fd00::/64"));
        List<String> mirrors = List.of("https://mirror.example:5000/", "http://m2/path/");
        assertThat(c.get("Mirrors")).isEqualTo(mirrors);
        assertThat(c.get("IndexConfigs")).isEqualTo(Map.of(
                "docker.io", Map.of("Name", "docker.io", "Mirrors", mirrors, "Secure", true, "Official", true),
                "myreg.local:5000", Map.of("Name", "myreg.local:5000", "Mirrors", List.of(), "Secure", false,
                        "Official", false)));
    }
}
