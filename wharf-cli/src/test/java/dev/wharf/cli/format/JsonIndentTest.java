package dev.wharf.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonIndentTest {

    @Test
    void indent_matchesGoMarshalIndent() {
        String in = "[{\"Id\":\"a\",\"Args\":[],\"Env\":[\"x=1\"],\"M\":{},\"S\":\"q\\\"{,}\"}]";
        assertThat(JsonIndent.indent(in, "", "    ")).isEqualTo("""
                [
                    {
                        "Id": "a",
                        "Args": [],
                        "Env": [
                            "x=1"
                        ],
                        "M": {},
                        "S": "q\\"{,}"
                    }
                ]""");
    }
}
