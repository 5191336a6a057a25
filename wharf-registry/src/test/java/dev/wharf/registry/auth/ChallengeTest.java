package dev.wharf.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void bearer_withQuotedParams() {
        List<Challenge> c = Challenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"");
        assertThat(c).hasSize(1);
        assertThat(c.getFirst().scheme()).isEqualTo("bearer");
        assertThat(c.getFirst().param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.getFirst().param("service")).isEqualTo("registry.docker.io");
        assertThat(c.getFirst().param("scope")).isEqualTo("repository:library/nginx:pull,push");
    }

    @Test
    void basic_andSeveralChallengesInOneHeader() {
        List<Challenge> c = Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=x, service=y");
        assertThat(c).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(c.get(0).param("realm")).isEqualTo("Registry Realm");
        assertThat(c.get(1).param("realm")).isEqualTo("x");
        assertThat(c.get(1).param("service")).isEqualTo("y");
    }

    @Test
    void escapedQuote_andEmpty() {
        assertThat(Challenge.parse("Bearer realm=\"a\\\"b\"").getFirst().param("realm")).isEqualTo("a\"b");
        assertThat(Challenge.parse((String) null)).isEmpty();
        assertThat(Challenge.parse("")).isEmpty();
    }

    @Test
    void credentials_neverPrintSecrets() {
        assertThat(Credentials.basic("joe", "s3cret").toString()).doesNotContain("s3cret").contains("joe");
        assertThat(new Credentials(null, null, "idtok", null).toString()).doesNotContain("idtok");
    }
}
