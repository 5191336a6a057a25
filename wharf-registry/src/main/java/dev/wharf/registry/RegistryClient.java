package dev.wharf.registry;

import dev.wharf.registry.RegistryException.Kind;
import dev.wharf.registry.auth.AuthException;
import dev.wharf.registry.auth.Authorizer;
import dev.wharf.registry.auth.Challenge;
import dev.wharf.registry.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The distribution client's one entry point: opens {@link Repository repositories} for pulls and
 * pushes and checks logins. Thread-safe and shared: it keeps one HTTP client per registry host,
 * each host's auth challenge and the tokens fetched, until they expire.
 */
public final class RegistryClient {

    private final RegistryOptions options;
    private final Hosts hosts;
    private final Caller caller;

    public RegistryClient(RegistryOptions options, Map<String, String> env, Clock clock) {
        this.options = options;
        this.hosts = new Hosts(options, env);
        this.caller = new Caller(hosts, new Authorizer(hosts::clientFor, clock));
    }

    public RegistryOptions options() {
        return options;
    }

    /** A repository to pull from ({@code push} false: mirrors first for Docker Hub) or push to. */
    public Repository repository(Reference ref, Credentials creds, boolean push) {
        List<String> targets = new ArrayList<>();
        if (!push && ref.domain().equals(Reference.DOCKER_HUB)) {
            for (URI m : options.mirrors()) {
                String h = m.getPort() < 0 ? m.getHost() : m.getHost() + ":" + m.getPort();
                if ("http".equals(m.getScheme())) {
                    hosts.useHttp(h);
                }
                targets.add(h);
            }
        }
        targets.add(Hosts.apiHost(ref.domain()));
        return new Repository(caller, ref, creds, targets, push);
    }

    /** What a successful login gives back. */
    public record Login(String status, String identityToken) {
    }

    /**
     * {@code docker login}: asks {@code GET /v2/} of the registry with the credentials, answering
     * its challenge (Basic, or a token for no scope); a refused login throws {@code UNAUTHORIZED}
     * with the registry's reason.
     */
    public Login login(String serverAddress, Credentials creds) {
        String host = Hosts.apiHost(domainOf(serverAddress));
        Caller.Call c = new Caller.Call("GET", host, "/v2/", Map.of(), null, true, List.of(), Set.of());
        HttpResponse<InputStream> r = caller.send(c, creds);
        Caller.drain(r);
        if (!caller.authorizer().challenge(host).isPresent() && !creds.isAnonymous()) {
            return new Login("Login Succeeded", "");
        }
        String identity = "";
        Optional<Challenge> ch = caller.authorizer().challenge(host);
        if (ch.isPresent() && ch.get().scheme().equals("bearer") && creds.hasPassword()) {
            try {
                String refresh = caller.authorizer().token(ch.get(), List.of(), creds, true).refreshToken();
                identity = refresh == null ? "" : refresh;
            } catch (AuthException e) {
                throw new RegistryException(Kind.UNAUTHORIZED, 401, e.getMessage(), e);
            } catch (IOException e) {
                throw caller.transport(c, caller.uri(c), e);
            }
        }
        return new Login("Login Succeeded", identity);
    }

    /** The registry a login's server address names: {@code https://index.docker.io/v1/} is Docker Hub. */
    public static String domainOf(String serverAddress) {
        String s = serverAddress == null || serverAddress.isBlank() ? Reference.DOCKER_HUB : serverAddress.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (s.equals("index.docker.io") || s.equals("registry-1.docker.io") || s.isEmpty()) {
            return Reference.DOCKER_HUB;
        }
        return s;
    }
}
