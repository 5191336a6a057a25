package dev.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceTest {

    @ParameterizedTest
    @CsvSource({
        "nginx, docker.io, library/nginx, , nginx",
        "nginx:1.25, docker.io, library/nginx, 1.25, nginx",
        "user/app:v1, docker.io, user/app, v1, user/app",
        "docker.io/library/busybox, docker.io, library/busybox, , busybox",
        "index.docker.io/library/busybox:1, docker.io, library/busybox, 1, busybox",
        "127.0.0.1:5000/a/b:t, 127.0.0.1:5000, a/b, t, 127.0.0.1:5000/a/b",
        "localhost/app, localhost, app, , localhost/app",
        "ghcr.io/o/r, ghcr.io, o/r, , ghcr.io/o/r",
        "localhost:5000/x, localhost:5000, x, , localhost:5000/x",
    })
    void parse_normalisesAsDocker(String in, String domain, String path, String tag, String familiar) {
        Reference r = Reference.parse(in);
        assertThat(r.domain()).isEqualTo(domain);
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.familiarName()).isEqualTo(familiar);
    }

    @Test
    void parse_digest() {
        String d = "sha256:" + "a".repeat(64);
        Reference r = Reference.parse("127.0.0.1:5000/app@" + d);
        assertThat(r.digest()).isEqualTo(d);
        assertThat(r.tag()).isNull();
        assertThat(r.tagOrDigest()).isEqualTo(d);
        assertThat(r.familiar()).isEqualTo("127.0.0.1:5000/app@" + d);
    }

    @Test
    void parse_withSeparateTagOrDigest() {
        assertThat(Reference.parse("busybox", "").tagOrDigest()).isEqualTo("latest");
        assertThat(Reference.parse("busybox", "1.36").familiar()).isEqualTo("busybox:1.36");
        String d = "sha256:" + "b".repeat(64);
        assertThat(Reference.parse("busybox", d).digest()).isEqualTo(d);
        assertThat(Reference.parseDefaultTag("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
    }

    @Test
    void parse_refusesBadNames() {
        assertThatThrownBy(() -> Reference.parse("Busybox")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("a//b")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Reference.parse("busybox@sha256:12")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Reference.parse("busybox:-x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Reference.parse("")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void domainOf_loginAddresses() {
        assertThat(RegistryClient.domainOf("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(RegistryClient.domainOf("")).isEqualTo("docker.io");
        assertThat(RegistryClient.domainOf("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryClient.domainOf("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
    }
}
