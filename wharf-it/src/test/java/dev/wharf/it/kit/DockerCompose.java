package dev.wharf.it.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** docker-compose 1.29 (Debian's {@code docker-compose}, over docker-py) pointed at one wharfd. */
public final class DockerCompose {

    public static final Path BINARY = Path.of("/usr/bin/docker-compose");

    private final Map<String, String> env;

    public DockerCompose(Path socket) {
        this.env = Map.of("DOCKER_HOST", "unix://" + socket, "COMPOSE_INTERACTIVE_NO_CLI", "1",
                "HOME", System.getProperty("java.io.tmpdir"));
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    public CliResult run(String... args) {
        return ProcessRunner.run(ProcessRunner.concat(List.of(BINARY.toString(), "--no-ansi"), args), env, null,
                Duration.ofSeconds(120));
    }

    public CliResult ok(String... args) {
        CliResult r = run(args);
        if (r.exitCode() != 0) throw new AssertionError("expected exit 0: " + r);
        return r;
    }
}
