package dev.wharf.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.cli.format.GoTemplate;
import java.util.List;
import java.util.Map;

/**
 * Jazzer: any {@code --format} text either renders against an inspect-like document or is refused
 * as a {@link GoTemplate.TemplateException} (one readable line in the CLI); never another exception
 * (a stack trace) and never a hang.
 */
class GoTemplateFuzzTest {

    private static final Map<String, Object> DOC = Map.of(
            "Id", "4f1c0de5",
            "Name", "/web",
            "State", Map.of("Status", "running", "Running", true, "Pid", 4242, "ExitCode", 0),
            "Config", Map.of("Labels", Map.of("com.example.tier", "front"), "Env", List.of("A=1", "B=2"),
                    "Cmd", List.of("sh", "-c", "sleep 1")),
            "NetworkSettings", Map.of("Networks", Map.of("bridge", Map.of("IPAddress", "172.17.0.2"))),
            "Mounts", List.of(Map.of("Source", "/var/lib/x", "Destination", "/data")),
            "SizeRw", 12.5);

    @FuzzTest(maxDuration = "15s")
    void render(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            GoTemplate.parse(text).execute(DOC);
        } catch (GoTemplate.TemplateException expected) {
            // refused with Go's message is the contract
        }
    }
}
