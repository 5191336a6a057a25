package dev.wharf.it.kit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code bin/wharf} from the repository, pointed at one wharfd with {@code -H}. */
public final class WharfCli {

    private final Path wharf;
    private final Path socket;

    public WharfCli(Path socket) {
        this.wharf = Repo.root().resolve("bin/wharf");
        this.socket = socket;
    }

    public CliResult run(String... args) {
        return run(null, DockerCli.DEFAULT_TIMEOUT, args);
    }

    public CliResult run(byte[] stdin, Duration timeout, String... args) {
        return run(Map.of(), stdin, timeout, args);
    }

    /** With {@code extraEnv} added to the environment (DOCKER_CONFIG, PATH for a credential helper...). */
    public CliResult run(Map<String, String> extraEnv, byte[] stdin, Duration timeout, String... args) {
        List<String> command = ProcessRunner.concat(List.of(wharf.toString(), "-H", "unix://" + socket), args);
        // WHARF_HOST and DOCKER_HOST too, in case -H is not parsed before the subcommand
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "WHARF_HOST", "unix://" + socket,
                "DOCKER_HOST", "unix://" + socket,
                "JAVA_HOME", Repo.javaHome()));
        env.putAll(extraEnv);
        return ProcessRunner.run(command, env, stdin, timeout);
    }

    /** A command left running (streams, signals), through the launcher as a user's would be. */
    public CliSession start(String... args) {
        return start(Map.of(), args);
    }

    /** The same, with {@code extraEnv} added ({@code WHARF_LAUNCHER=off} for the CLI's own JVM). */
    public CliSession start(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("WHARF_HOST", "unix://" + socket,
                "DOCKER_HOST", "unix://" + socket, "JAVA_HOME", Repo.javaHome()));
        env.putAll(extraEnv);
        return new CliSession(ProcessRunner.concat(List.of(wharf.toString(), "-H", "unix://" + socket), args), env);
    }

    public CliResult ok(String... args) {
        CliResult result = run(args);
        if (result.exitCode() != 0) throw new AssertionError("expected exit 0: " + result);
        return result;
    }
}
