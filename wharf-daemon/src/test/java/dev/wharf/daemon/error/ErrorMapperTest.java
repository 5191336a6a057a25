package dev.wharf.daemon.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.NotImplementedException;
import dev.wharf.base.error.NotModifiedException;
import dev.wharf.base.error.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    @Test
    void categories_mapToStatus() {
        assertThat(ErrorMapper.status(new NotFoundException("x"))).isEqualTo(404);
        assertThat(ErrorMapper.status(new InvalidArgumentException("x"))).isEqualTo(400);
        assertThat(ErrorMapper.status(new ConflictException("x"))).isEqualTo(409);
        assertThat(ErrorMapper.status(new NotModifiedException("x"))).isEqualTo(304);
        assertThat(ErrorMapper.status(new ForbiddenException("x"))).isEqualTo(403);
        assertThat(ErrorMapper.status(new UnavailableException("x"))).isEqualTo(503);
        assertThat(ErrorMapper.status(new NotImplementedException("x"))).isEqualTo(501);
        assertThat(ErrorMapper.status(new InternalException("x"))).isEqualTo(500);
        assertThat(ErrorMapper.status(new IllegalStateException())).isEqualTo(500);
        assertThat(ErrorMapper.status(new CompletionException(new NotFoundException("x")))).isEqualTo(404);
    }

    @Test
    void body_isJsonMessageOrClassName() {
        assertThat(new String(ErrorMapper.body(new NotFoundException("No such image: \"a\"")), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"No such image: \\\"a\\\"\"}");
        assertThat(new String(ErrorMapper.body(new IllegalStateException()), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"java.lang.IllegalStateException\"}");
        assertThat(ErrorMapper.body(new NotModifiedException("x"))).isEmpty();
    }
}
