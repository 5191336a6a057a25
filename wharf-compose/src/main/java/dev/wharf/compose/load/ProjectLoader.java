package dev.wharf.compose.load;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.load.YNode.YScalar;
import dev.wharf.compose.load.YNode.YSeq;
import dev.wharf.compose.model.FileObject;
import dev.wharf.compose.model.NetworkSpec;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.model.ServiceGraph;
import dev.wharf.compose.model.VolumeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads a compose project: finds the files ({@code -f}, {@code COMPOSE_FILE}, or
 * {@code compose.yaml}/{@code compose.yml}/{@code docker-compose.yaml}/{@code docker-compose.yml}
 * here or in a parent directory, with its {@code *.override.*} file), reads the environment
 * ({@code .env} or {@code --env-file}, under the process's own variables), interpolates each file,
 * merges them in order, and reads the result into a validated {@link Project}. Any error is a
 * {@link ComposeFileException} naming the file, line and key.
 */
public final class ProjectLoader {

    static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml",
            "docker-compose.yml");
    private static final Set<String> TOP_KEYS = Set.of("version", "name", "services", "networks", "volumes", "secrets",
            "configs");

    /**
     * What the command line says: the current directory, {@code -f} files, {@code --project-directory},
     * {@code -p}, {@code --profile}s, {@code --env-file}s, and the process environment.
     */
    public record Options(Path cwd, List<Path> files, Path projectDirectory, String projectName, List<String> profiles,
            List<Path> envFiles, Map<String, String> environment) {

        public static Options in(Path cwd, Map<String, String> env) {
            return new Options(cwd, List.of(), null, null, List.of(), List.of(), env);
        }
    }

    private ProjectLoader() {
    }

    public static Project load(Options o) {
        List<Path> files = files(o);
        Path projectDir = o.projectDirectory() != null ? o.cwd().resolve(o.projectDirectory()).normalize()
                : files.getFirst().getParent();
        List<Path> envFiles = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        if (o.envFiles().isEmpty()) {
            Path dotEnv = projectDir.resolve(".env");
            if (Files.isRegularFile(dotEnv)) {
                envFiles.add(dotEnv);
            }
        } else {
            for (Path p : o.envFiles()) {
                Path abs = o.cwd().resolve(p).normalize();
                if (!Files.isRegularFile(abs)) {
                    throw new ComposeFileException("env file " + abs + " not found");
                }
                envFiles.add(abs);
            }
        }
        for (Path p : envFiles) {
            env.putAll(DotEnv.read(p, o.environment()));
        }
        env.putAll(o.environment());
        List<String> warnings = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Interpolator interp = new Interpolator(env, w -> {
            if (seen.add(w)) {
                warnings.add(w);
            }
        });
        YMap merged = null;
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ComposeFileException("cannot read " + f + ": " + e.getMessage());
            }
            YNode root = YamlReader.read(f.toString(), text);
            if (!(root instanceof YMap m)) {
                throw new ComposeFileException(root.at(), null, "a compose file must be a mapping at the top level");
            }
            Fields.checkKeys(m, "", TOP_KEYS);
            YMap doc = (YMap) interpolate(m, "", interp);
            merged = merged == null ? doc : (YMap) Merger.merge(merged, doc, "");
        }
        return read(merged, o, projectDir, files, envFiles, env, warnings);
    }

    private static Project read(YMap root, Options o, Path projectDir, List<Path> files, List<Path> envFiles,
            Map<String, String> env, List<String> warnings) {
        String home = o.environment().getOrDefault("HOME", System.getProperty("user.home"));
        String name = projectName(root, o, projectDir, env);
        Map<String, NetworkSpec> networks = TopLevelReader.networks(root.get("networks"));
        Map<String, VolumeSpec> volumes = TopLevelReader.volumes(root.get("volumes"));
        Map<String, FileObject> secrets = TopLevelReader.files(root.get("secrets"), "secrets", projectDir, home, env);
        Map<String, FileObject> configs = TopLevelReader.files(root.get("configs"), "configs", projectDir, home, env);
        YNode servicesNode = root.get("services");
        YMap services = servicesNode == null ? new YMap(Map.of(), Map.of(), root.at(), null)
                : Fields.mapOrEmpty(servicesNode, "services");
        Set<String> networkKeys = new LinkedHashSet<>(networks.keySet());
        networkKeys.add("default");
        ServiceReader reader = new ServiceReader(new ServiceReader.Context(projectDir, env, networkKeys,
                volumes.keySet(), secrets.keySet(), configs.keySet(), services.entries().keySet(), home));
        Map<String, Service> all = new TreeMap<>();
        for (Map.Entry<String, YNode> e : services.entries().entrySet()) {
            if (!e.getKey().matches("[a-zA-Z0-9][a-zA-Z0-9._-]*")) {
                throw new ComposeFileException(services.keyAt(e.getKey()), "services." + e.getKey(),
                        "invalid service name (letters, digits, '.', '_' and '-')");
            }
            all.put(e.getKey(), reader.read(e.getKey(), e.getValue()));
        }
        List<String> profiles = new ArrayList<>(o.profiles());
        String envProfiles = env.get("COMPOSE_PROFILES");
        if (profiles.isEmpty() && envProfiles != null && !envProfiles.isBlank()) {
            profiles.addAll(List.of(envProfiles.split(",")));
        }
        Map<String, Service> enabled = new TreeMap<>();
        List<String> disabled = new ArrayList<>();
        for (Service s : all.values()) {
            if (s.profiles().isEmpty() || s.profiles().stream().anyMatch(p -> profiles.contains(p) || p.equals("*")
                    && !profiles.isEmpty()) || profiles.contains("*")) {
                enabled.put(s.name(), s);
            } else {
                disabled.add(s.name());
            }
        }
        for (Service s : enabled.values()) {
            for (Map.Entry<String, Service.Dependency> d : s.dependsOn().entrySet()) {
                if (!enabled.containsKey(d.getKey()) && d.getValue().required()) {
                    throw new ComposeFileException("service " + s.name() + " depends on " + d.getKey()
                            + ", which is disabled by its profiles");
                }
            }
        }
        boolean usesDefault = enabled.values().stream().anyMatch(s -> s.networkMode() == null
                && (s.networks().isEmpty() || s.networks().containsKey("default")));
        if (usesDefault && !networks.containsKey("default")) {
            networks.put("default", NetworkSpec.defaults());
        }
        Map<String, Service> withNetworks = new TreeMap<>();
        for (Service s : enabled.values()) {
            withNetworks.put(s.name(), s.networkMode() == null && s.networks().isEmpty()
                    ? s.withNetworks(Map.of("default", Service.ServiceNetwork.DEFAULT)) : s);
        }
        try {
            ServiceGraph.startOrder(withNetworks);
        } catch (IllegalStateException e) {
            throw new ComposeFileException(e.getMessage());
        }
        return new Project(name, projectDir, files, envFiles, withNetworks, networks, volumes, secrets, configs,
                disabled, warnings);
    }

    /** {@code -p}, then {@code COMPOSE_PROJECT_NAME}, then {@code name:}, then the project directory's name. */
    private static String projectName(YMap root, Options o, Path projectDir, Map<String, String> env) {
        String given = o.projectName();
        if (given == null || given.isBlank()) {
            given = env.get("COMPOSE_PROJECT_NAME");
        }
        YNode nameNode = root.get("name");
        if (given == null || given.isBlank()) {
            given = Fields.str(nameNode, "name");
        }
        if (given != null && !given.isBlank()) {
            if (!given.matches("[a-z0-9][a-z0-9_-]*")) {
                throw new ComposeFileException(nameNode == null ? null : nameNode.at(), "name", "invalid project name \""
                        + given + "\": it must contain only lowercase letters, digits, dashes and underscores, "
                        + "and start with a letter or digit");
            }
            return given;
        }
        Path base = projectDir.getFileName();
        String n = (base == null ? "default" : base.toString()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "")
                .replaceAll("^[_-]+", "");
        return n.isEmpty() ? "default" : n;
    }

    /** The files to read: {@code -f}, else {@code COMPOSE_FILE}, else the default names here or above, plus the override. */
    static List<Path> files(Options o) {
        List<Path> out = new ArrayList<>();
        if (!o.files().isEmpty()) {
            for (Path f : o.files()) {
                out.add(existing(o.cwd().resolve(f).normalize()));
            }
            return out;
        }
        String env = o.environment().get("COMPOSE_FILE");
        if (env != null && !env.isBlank()) {
            String sep = o.environment().getOrDefault("COMPOSE_PATH_SEPARATOR", ":");
            for (String f : env.split(java.util.regex.Pattern.quote(sep))) {
                out.add(existing(o.cwd().resolve(f).normalize()));
            }
            return out;
        }
        Path start = o.projectDirectory() != null ? o.cwd().resolve(o.projectDirectory()).normalize() : o.cwd();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (String name : DEFAULT_FILES) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f)) {
                    out.add(f);
                    String stem = name.substring(0, name.lastIndexOf('.'));
                    for (String ext : List.of(".yaml", ".yml")) {
                        Path over = dir.resolve(stem + ".override" + ext);
                        if (Files.isRegularFile(over)) {
                            out.add(over);
                            break;
                        }
                    }
                    return out;
                }
            }
            if (o.projectDirectory() != null) {
                break;
            }
        }
        throw new ComposeFileException("no configuration file provided: not found (looked for "
                + String.join(", ", DEFAULT_FILES) + " in " + start + " and its parents)");
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ComposeFileException("open " + p + ": no such file or directory");
        }
        return p;
    }

    /** Substitutes variables in every scalar value (not keys), naming the key on an error. */
    static YNode interpolate(YNode n, String path, Interpolator interp) {
        return switch (n) {
            case YScalar s -> {
                if (s.value().indexOf('$') < 0) {
                    yield s;
                }
                try {
                    yield s.withValue(interp.apply(s.value()));
                } catch (Interpolator.Failure f) {
                    throw new ComposeFileException(s.at(), path, f.getMessage());
                }
            }
            case YSeq q -> {
                List<YNode> items = new ArrayList<>();
                for (int i = 0; i < q.items().size(); i++) {
                    items.add(interpolate(q.items().get(i), path + "[" + i + "]", interp));
                }
                yield new YSeq(items, q.at(), q.tag());
            }
            case YMap m -> {
                Map<String, YNode> entries = new LinkedHashMap<>();
                m.entries().forEach((k, v) -> entries.put(k, interpolate(v, path.isEmpty() ? k : path + "." + k, interp)));
                yield new YMap(entries, m.keys(), m.at(), m.tag());
            }
        };
    }
}
