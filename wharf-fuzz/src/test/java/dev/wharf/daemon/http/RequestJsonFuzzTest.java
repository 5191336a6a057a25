package dev.wharf.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecStartRequest;
import dev.wharf.model.volume.VolumeCreateRequest;
import java.util.List;

/**
 * Jazzer: any request body decodes into its record through the daemon's strict mapper, or is
 * refused as an {@link InvalidArgumentException} (a 400) with a message; never another exception
 * (a 500) and never a hang. Bytes that are no text at all were a 500 before (found here).
 */
class RequestJsonFuzzTest {

    private static final ObjectMapper STRICT = RequestJson.strict(Json.mapper());
    private static final List<Class<?>> BODIES = List.of(ContainerConfig.class, HostConfig.class,
            ExecCreateRequest.class, ExecStartRequest.class, VolumeCreateRequest.class);

    @FuzzTest(maxDuration = "15s")
    void decode(FuzzedDataProvider data) {
        Class<?> type = BODIES.get(data.consumeInt(0, BODIES.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        try {
            RequestJson.decode(STRICT, body, type);
        } catch (InvalidArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
