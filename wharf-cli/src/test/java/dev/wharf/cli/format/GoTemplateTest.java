package dev.wharf.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.model.Json;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GoTemplateTest {

    private static JsonNode inspect() throws Exception {
        return Json.mapper().readTree("""
                {"Id":"abc","Name":"/web","State":{"Running":true,"ExitCode":3,"Pid":42},
                 "Config":{"Env":["A=1","B=2"],"Labels":{"z":"1","a":"2"},"Cmd":null},
                 "Mounts":[{"Source":"/s","Destination":"/d"}]}""");
    }

    @Test
    void execute_resolvesNestedFields() throws Exception {
        assertThat(GoTemplate.parse("{{.Name}} {{.State.Running}} {{.State.ExitCode}}").execute(inspect()))
                .isEqualTo("/web true 3");
    }

    @Test
    void execute_printsListsAndMapsLikeGo() throws Exception {
        assertThat(GoTemplate.parse("{{.Config.Env}} {{.Config.Labels}} {{.Config.Cmd}} {{.Nope}}")
                .execute(inspect())).isEqualTo("[A=1 B=2] map[a:2 z:1] <nil> <no value>");
    }

    @Test
    void execute_jsonFunction() throws Exception {
        assertThat(GoTemplate.parse("{{json .State}}").execute(inspect()))
                .isEqualTo("{\"Running\":true,\"ExitCode\":3,\"Pid\":42}");
        Map<String, Object> row = new TreeMap<>(Map.of("b", "2", "a", "1"));
        assertThat(GoTemplate.parse("{{json .}}").execute(row)).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    }

    @Test
    void execute_rangeIfAndFunctions() throws Exception {
        String t = "{{range .Mounts}}{{.Source}}:{{.Destination}}{{end}}|{{if .State.Running}}up{{else}}down{{end}}"
                + "|{{join .Config.Env \",\"}}|{{upper .Name}}|{{index .Config.Labels \"z\"}}|{{.Name | len}}";
        assertThat(GoTemplate.parse(t).execute(inspect())).isEqualTo("/s:/d|up|A=1,B=2|/WEB|1|4");
    }

    @Test
    void execute_trimMarkers() throws Exception {
        assertThat(GoTemplate.parse("a  {{- .Name -}}  b").execute(inspect())).isEqualTo("a/webb");
    }

    @Test
    void parse_rejectsUnknownFunction() {
        assertThatThrownBy(() -> GoTemplate.parse("{{nosuch .X}}"))
                .hasMessageContaining("function \"nosuch\" not defined");
    }
}
