package dev.wharf.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.client.DistributionApi.RegistryAuth;
import dev.wharf.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Credentials in Docker's format: {@code $DOCKER_CONFIG/config.json} (default
 * {@code ~/.docker/config.json}) with {@code auths} ({@code {"auth": base64(user:password)}} or an
 * {@code identitytoken}), or a credential helper named by {@code credHelpers[host]} or
 * {@code credsStore}, spoken to as {@code docker-credential-NAME get|store|erase} with JSON on
 * stdin and stdout (the helpers' protocol). Docker Hub's key is {@code https://index.docker.io/v1/}.
 */
public final class DockerConfig {

    public static final String HUB = "https://index.docker.io/v1/";

    private final Path file;

    public DockerConfig(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        this.file = (dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(home, ".docker")).resolve("config.json");
    }

    /** The key credentials are kept under for a registry ({@code docker.io} is {@link #HUB}). */
    public static String key(String registry) {
        String r = registry == null || registry.isEmpty() ? "docker.io" : registry;
        r = r.replaceFirst("^https?://", "");
        int slash = r.indexOf('/');
        if (slash >= 0) {
            r = r.substring(0, slash);
        }
        return r.equals("docker.io") || r.equals("index.docker.io") || r.equals("registry-1.docker.io") ? HUB : r;
    }

    /** The registry an image name is on, as Docker splits it ({@code nginx} is on {@code docker.io}). */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    /** The stored credentials for a registry, or anonymous. */
    public RegistryAuth lookup(String registry) {
        String key = key(registry);
        JsonNode root = read();
        String helper = helper(root, key);
        if (helper != null) {
            try {
                JsonNode j = Json.mapper().readTree(runHelper(helper, "get", key));
                String user = j.path("Username").asText("");
                String secret = j.path("Secret").asText("");
                if (user.equals("<token>")) {
                    return new RegistryAuth(null, null, key, secret);
                }
                return new RegistryAuth(user, secret, key, null);
            } catch (IOException e) {
                return RegistryAuth.anonymous();
            }
        }
        JsonNode a = root.path("auths").path(key);
        String auth = a.path("auth").asText("");
        String identity = a.path("identitytoken").asText("");
        if (!auth.isEmpty()) {
            String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                return new RegistryAuth(pair.substring(0, colon), identity.isEmpty() ? pair.substring(colon + 1) : null,
                        key, identity.isEmpty() ? null : identity);
            }
        }
        return RegistryAuth.anonymous();
    }

    /** Stores credentials after a login; {@code identityToken} replaces the password when given. */
    public void store(String registry, String user, String password, String identityToken) throws IOException {
        String key = key(registry);
        ObjectNode root = (ObjectNode) read();
        String helper = helper(root, key);
        boolean token = identityToken != null && !identityToken.isEmpty();
        if (helper != null) {
            ObjectNode j = Json.mapper().createObjectNode();
            j.put("ServerURL", key);
            j.put("Username", token ? "<token>" : user);
            j.put("Secret", token ? identityToken : password);
            runHelper(helper, "store", Json.mapper().writeValueAsString(j));
            return;
        }
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths")
                : root.putObject("auths");
        ObjectNode a = auths.putObject(key);
        a.put("auth", Base64.getEncoder().encodeToString((user + ":" + (token ? "" : password))
                .getBytes(StandardCharsets.UTF_8)));
        if (token) {
            a.put("identitytoken", identityToken);
        }
        write(root);
    }

    /** Removes the credentials of a registry; false when there were none. */
    public boolean erase(String registry) throws IOException {
        String key = key(registry);
        ObjectNode root = (ObjectNode) read();
        String helper = helper(root, key);
        if (helper != null) {
            try {
                runHelper(helper, "erase", key);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        JsonNode auths = root.path("auths");
        if (auths.isObject() && auths.has(key)) {
            ((ObjectNode) auths).remove(key);
            write(root);
            return true;
        }
        return false;
    }

    public Path file() {
        return file;
    }

    private static String helper(JsonNode root, String key) {
        String h = root.path("credHelpers").path(key).asText("");
        if (h.isEmpty()) {
            h = root.path("credsStore").asText("");
        }
        return h.isEmpty() ? null : h;
    }

    private JsonNode read() {
        try {
            if (Files.isRegularFile(file)) {
                JsonNode j = Json.mapper().readTree(file.toFile());
                if (j != null && j.isObject()) {
                    return j;
                }
            }
        } catch (IOException e) {
            // an unreadable config is an empty one
        }
        return Json.mapper().createObjectNode();
    }

    private void write(JsonNode root) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs {@code docker-credential-NAME action} with {@code input} on stdin; its stdout. */
    static String runHelper(String name, String action, String input) throws IOException {
        Process p = new ProcessBuilder("docker-credential-" + name, action).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("docker-credential-" + name + " " + action + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(out.strip());
        }
        return out;
    }
}
