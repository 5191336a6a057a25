package dev.wharf.it.kit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real docker CLI (28.2.2, /usr/local/bin/docker) pointed at one wharfd. */
public final class DockerCli {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String DOCKER = System.getProperty("wharf.docker", "/usr/local/bin/docker");

    private final Map<String, String> env;

    public DockerCli(Path socket) {
        // an empty config dir: no contexts, credential helpers or plugins of the machine's user
        Path config = TempPaths.dir("wharf-it-docker-config");
        this.env = Map.of(
                "DOCKER_HOST", "unix://" + socket,
                "DOCKER_CONFIG", config.toString(),
                "DOCKER_CLI_HINTS", "false",
                "DOCKER_BUILDKIT", "0",
                "DOCKER_CONTEXT", "default",
                "NO_COLOR", "1");
    }

    public CliResult run(String... args) {
        return run(null, DEFAULT_TIMEOUT, args);
    }

    public CliResult run(byte[] stdin, Duration timeout, String... args) {
        return ProcessRunner.run(ProcessRunner.concat(List.of(DOCKER), args), env, stdin, timeout);
    }

    /** Runs and asserts exit code 0, returning the result. */
    public CliResult ok(String... args) {
        CliResult result = run(args);
        if (result.exitCode() != 0) throw new AssertionError("expected exit 0: " + result);
        return result;
    }

    /** Starts a command and leaves it running, with its stdin open for {@link CliSession#send}. */
    public CliSession start(String... args) {
        return new CliSession(ProcessRunner.concat(List.of(DOCKER), args), env);
    }

    /**
     * Starts a command under a pseudo-terminal (util-linux {@code script}), as from an interactive
     * shell: for {@code -it}, which the docker CLI refuses without a terminal.
     */
    public CliSession startInTerminal(String... args) {
        StringBuilder cmd = new StringBuilder(DOCKER);
        for (String a : args) {
            cmd.append(' ').append("'").append(a.replace("'", "'\\''")).append("'");
        }
        return new CliSession(List.of("script", "-qfec", cmd.toString(), "/dev/null"), env);
    }

    public Map<String, String> env() {
        return env;
    }
}
