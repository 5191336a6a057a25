package dev.wharf.it.kit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code bin/wharf} from the repository, pointed at one wharfd with {@code -H}. */
public final class WharfCli {

    private final Path wharf;
    private final Path socket;
    private final Map<String, String> extraEnv;

    public WharfCli(Path socket) {
        this(socket, Map.of());
    }

    private WharfCli(Path socket, Map<String, String> extraEnv) {
        this.wharf = Repo.root().resolve("bin/wharf");
        this.socket = socket;
        this.extraEnv = extraEnv;
    }

    /** The same CLI with more environment (DOCKER_CONFIG, PATH, ...), as a user's shell would set. */
    public WharfCli withEnv(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(extraEnv);
        all.putAll(env);
        return new WharfCli(socket, Map.copyOf(all));
    }

    public CliResult run(String... args) {
        return run(null, DockerCli.DEFAULT_TIMEOUT, args);
    }

    public CliResult run(byte[] stdin, Duration timeout, String... args) {
        List<String> command = ProcessRunner.concat(List.of(wharf.toString(), "-H", "unix://" + socket), args);
        // WHARF_HOST and DOCKER_HOST too, in case -H is not parsed before the subcommand
        Map<String, String> env = new HashMap<>(extraEnv);
        env.putAll(Map.of(
                "WHARF_HOST", "unix://" + socket,
                "DOCKER_HOST", "unix://" + socket,
                "JAVA_HOME", Repo.javaHome()));
        return ProcessRunner.run(command, env, stdin, timeout);
    }

    public CliResult ok(String... args) {
        CliResult result = run(args);
        if (result.exitCode() != 0) throw new AssertionError("expected exit 0: " + result);
        return result;
    }
}
