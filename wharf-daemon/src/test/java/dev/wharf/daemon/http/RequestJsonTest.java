package dev.wharf.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import org.junit.jupiter.api.Test;

class RequestJsonTest {

    private static final ObjectMapper STRICT = RequestJson.strict(Json.mapper());

    private static String refusal(String body) {
        try {
            STRICT.readValue(body, ContainerConfig.class);
        } catch (JacksonException e) {
            return RequestJson.message(e, "CreateRequest");
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void wrongTypes_areRefusedNamingTheField() {
        assertThat(refusal("{\"Image\":12345}"))
                .isEqualTo("invalid JSON: json: cannot unmarshal number into Go struct field CreateRequest.Image of type string");
        assertThat(refusal("{\"Image\":\"x\",\"Cmd\":123}")).contains("CreateRequest.Cmd");
        assertThat(refusal("{\"Image\":\"x\",\"Env\":\"A=1\"}")).contains("CreateRequest.Env");
        assertThat(refusal("{\"Image\":\"x\",\"Tty\":\"yes\"}")).contains("CreateRequest.Tty of type bool");
    }

    @Test
    void cmdAndEntrypoint_takeAStringOrAList_asDockersStrslice() throws Exception {
        ContainerConfig r = STRICT.readValue("{\"Image\":\"x\",\"Cmd\":\"ls\",\"Entrypoint\":[\"sh\",\"-c\"]}",
                ContainerConfig.class);
        assertThat(r.cmd()).containsExactly("ls");
        assertThat(r.entrypoint()).containsExactly("sh", "-c");
    }

    @Test
    void keys_matchFieldsWhateverTheirCase_asGoDecodes() throws Exception {
        ContainerConfig r = STRICT.readValue("{\"image\":\"x\",\"cmd\":[\"ls\"],\"WORKINGDIR\":\"/w\",\"Extra\":1}",
                ContainerConfig.class);
        assertThat(r.image()).isEqualTo("x");
        assertThat(r.cmd()).containsExactly("ls");
        assertThat(r.workingDir()).isEqualTo("/w");
        assertThat(r.other()).containsEntry("Extra", 1);
        assertThat(refusal("{\"image\":7}")).contains("of type string");
    }

    @Test
    void theSharedMapperStaysLenient() {
        assertThatThrownBy(() -> STRICT.readValue("{\"Image\":true}", ContainerConfig.class))
                .isInstanceOf(JacksonException.class);
        assertThat(Json.mapper().isEnabled(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY))
                .isTrue();
    }
}
