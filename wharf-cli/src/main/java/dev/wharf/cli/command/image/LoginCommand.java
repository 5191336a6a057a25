package dev.wharf.cli.command.image;

import dev.wharf.cli.Cli;
import dev.wharf.cli.auth.DockerConfig;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ApiException;
import dev.wharf.client.DistributionApi.LoginResult;
import dev.wharf.client.DistributionApi.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf login}: the daemon checks the credentials; they are kept in Docker's config format. */
@Command(name = "login")
public final class LoginCommand extends WharfCommand {

    @Option(names = {"-u", "--username"}, paramLabel = "string", description = "Username")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "string", description = "Password")
    String password;

    @Option(names = "--password-stdin", description = "Take the password from stdin")
    boolean passwordStdin;

    @Parameters(arity = "0..*", paramLabel = "SERVER")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireBetween(args, 0, 1);
        String server = orEmpty(args).isEmpty() ? DockerConfig.HUB : args.getFirst();
        if (password != null && passwordStdin) {
            throw new Cli.Exit(1, "--password and --password-stdin are mutually exclusive");
        }
        if (passwordStdin) {
            if (username == null || username.isEmpty()) {
                throw new Cli.Exit(1, "Must provide --username with --password-stdin");
            }
            password = new String(cli.in().readAllBytes(), StandardCharsets.UTF_8).strip();
        } else if (password != null) {
            cli.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        java.io.Console console = System.console();
        if (username == null || username.isEmpty()) {
            if (console == null) {
                throw new Cli.Exit(1, "Error: Cannot perform an interactive login from a non TTY device");
            }
            username = console.readLine("Username: ").strip();
        }
        if (password == null || password.isEmpty()) {
            if (console == null) {
                throw new Cli.Exit(1, "Error: Cannot perform an interactive login from a non TTY device");
            }
            password = new String(console.readPassword("Password: "));
        }
        if (username.isEmpty() || password.isEmpty()) {
            throw new Cli.Exit(1, "Error: Non-null Username Required");
        }
        LoginResult r;
        try {
            r = cli.client().distribution().login(new RegistryAuth(username, password, server, null));
        } catch (ApiException e) {
            throw new Cli.Exit(1, "Error response from daemon: " + e.getMessage());
        }
        DockerConfig config = new DockerConfig(cli.env());
        config.store(server, username, password, r.identityToken());
        cli.out().println(r.status().isEmpty() ? "Login Succeeded" : r.status());
        return 0;
    }
}
