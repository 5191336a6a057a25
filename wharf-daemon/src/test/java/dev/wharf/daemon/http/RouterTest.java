package dev.wharf.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Handler a = ex -> { };
    private final Handler b = ex -> { };
    private final Handler c = ex -> { };

    @Test
    void literalBeatsParamBeatsGreedy() {
        Router r = new Router()
                .add("GET", "/images/{name*}/json", a)
                .add("GET", "/images/json", b)
                .add("GET", "/images/search", c)
                .add("GET", "/containers/{id}/json", a)
                .add("GET", "/containers/json", b);
        assertThat(r.match("GET", "/images/json").handler()).isSameAs(b);
        assertThat(r.match("GET", "/images/search").handler()).isSameAs(c);
        assertThat(r.match("GET", "/images/a/b:1/json").params()).containsEntry("name", "a/b:1");
        assertThat(r.match("GET", "/images/json/json").params()).containsEntry("name", "json");
        assertThat(r.match("GET", "/containers/json").handler()).isSameAs(b);
        assertThat(r.match("GET", "/containers/x%2Fy/json").params()).containsEntry("id", "x/y");
        assertThat(r.match("POST", "/containers/json")).isNull();
        assertThat(r.match("GET", "/containers//json")).isNull();
    }

    @Test
    void greedyIsGreedy() {
        Router r = new Router().add("POST", "/images/{name*}/tag", a).add("DELETE", "/images/{name*}", b);
        assertThat(r.match("POST", "/images/a/tag/tag").params()).containsEntry("name", "a/tag");
        assertThat(r.match("DELETE", "/images/127.0.0.1:5000/bb:1").params()).containsEntry("name", "127.0.0.1:5000/bb:1");
        assertThat(r.match("DELETE", "/images")).isNull();
    }

    @Test
    void apiVersion_parsesAndCompares() {
        assertThat(ApiVersion.parse("1.41").atLeast(1, 40)).isTrue();
        assertThat(ApiVersion.parse("1.41").atLeast(1, 42)).isFalse();
        assertThat(ApiVersion.CURRENT.toString()).isEqualTo("1.44");
    }
}
