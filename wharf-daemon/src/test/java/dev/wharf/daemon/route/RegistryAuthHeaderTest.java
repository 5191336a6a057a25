package dev.wharf.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.registry.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthHeaderTest {

    @Test
    void cliHeader_observedOnTheWire() {
        Credentials c = DistributionRoutes.decodeAuth(
                "eyJ1c2VybmFtZSI6InVzZXIiLCJwYXNzd29yZCI6InB3Iiwic2VydmVyYWRkcmVzcyI6IjEyNy4wLjAuMTo1OTk5In0=");
        assertThat(c.username()).isEqualTo("user");
        assertThat(c.password()).isEqualTo("pw");
    }

    @Test
    void anonymous_standardAlphabet_missingPadding_authField_identityToken() {
        assertThat(DistributionRoutes.decodeAuth("e30=").isAnonymous()).isTrue();
        assertThat(DistributionRoutes.decodeAuth(null).isAnonymous()).isTrue();
        String json = "{\"auth\":\"" + Base64.getEncoder().encodeToString("joe:p?>?".getBytes(StandardCharsets.UTF_8))
                + "\",\"identitytoken\":\"tok/+\"}";
        String std = Base64.getEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        Credentials c = DistributionRoutes.decodeAuth(std);
        assertThat(c.username()).isEqualTo("joe");
        assertThat(c.password()).isEqualTo("p?>?");
        assertThat(c.identityToken()).isEqualTo("tok/+");
    }

    @Test
    void garbage_isABadRequest() {
        assertThatThrownBy(() -> DistributionRoutes.decodeAuth("!!!notbase64")).isInstanceOf(
                InvalidArgumentException.class);
    }
}
