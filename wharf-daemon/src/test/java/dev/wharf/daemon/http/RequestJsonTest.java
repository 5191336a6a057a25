package dev.wharf.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerUpdateRequest;
import dev.wharf.model.container.HostConfig;
import org.junit.jupiter.api.Test;

class RequestJsonTest {

    private static final ObjectMapper STRICT = RequestJson.strict(Json.mapper());

    private static String refusal(String body) {
        return refusal(body, ContainerConfig.class, "CreateRequest");
    }

    private static String refusal(String body, Class<?> type, String goPath) {
        try {
            STRICT.readValue(body, type);
        } catch (JacksonException e) {
            return RequestJson.message(e, goPath);
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

    private static String updateRefusal(String body) {
        return refusal(body, ContainerUpdateRequest.class, "CreateRequest.HostConfig");
    }

    @Test
    void anUpdateBody_asTheDockerCliSendsIt_isRead_zeroFieldsSettingNothing() throws Exception {
        ContainerUpdateRequest r = STRICT.readValue("{\"BlkioWeight\":0,\"BlkioWeightDevice\":null,\"CpuShares\":512,"
                + "\"Memory\":67108864,\"MemorySwap\":-1,\"CpusetCpus\":\"\",\"PidsLimit\":null,\"Ulimits\":null,"
                + "\"KernelMemory\":0,\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":4}}",
                ContainerUpdateRequest.class);
        assertThat(r.resources()).containsExactly(java.util.Map.entry("Memory", 67108864L),
                java.util.Map.entry("MemorySwap", -1L), java.util.Map.entry("CpuShares", 512L));
        assertThat(r.restartPolicy()).isEqualTo(new HostConfig.RestartPolicy("on-failure", 4));
        assertThat(STRICT.readValue("{}", ContainerUpdateRequest.class).resources()).isEmpty();
    }

    @Test
    void anUpdateBody_withAWronglyTypedField_isRefusedAsBefore() {
        java.util.Map<String, String> refused = java.util.Map.of(
                "{\"CpuShares\":\"lots\"}", "string into Go struct field CreateRequest.HostConfig.CpuShares of type int64",
                "{\"Memory\":1.5}", "number 1.5 into Go struct field CreateRequest.HostConfig.Memory of type int64",
                "{\"PidsLimit\":true}", "bool into Go struct field CreateRequest.HostConfig.PidsLimit of type int64",
                "{\"RestartPolicy\":{\"MaximumRetryCount\":\"3\"}}",
                "string into Go struct field CreateRequest.HostConfig.RestartPolicy.MaximumRetryCount of type int");
        refused.forEach((body, text) -> assertThat(updateRefusal(body)).as(body)
                .isEqualTo("invalid JSON: json: cannot unmarshal " + text));
    }
}
