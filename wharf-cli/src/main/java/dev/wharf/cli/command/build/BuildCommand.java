package dev.wharf.cli.command.build;

import dev.wharf.builder.ignore.IgnoreMatcher;
import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.image.ProgressDisplay;
import dev.wharf.cli.format.Units;
import dev.wharf.client.BuildApi;
import dev.wharf.model.build.BuildMessage;
import dev.wharf.model.common.ProgressMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf build PATH | -}: sends the context (with .dockerignore applied, as the docker CLI
 * does) and shows the build's steps live. A failed step's error goes to stderr and its exit code
 * becomes the command's.
 */
@Command(name = "build")
public final class BuildCommand extends WharfCommand {

    @Option(names = {"-t", "--tag"}, paramLabel = "list", description = "Name and optionally a tag in the \"name:tag\" format")
    List<String> tags;

    @Option(names = {"-f", "--file"}, paramLabel = "string", description = "Name of the Dockerfile (Default is \"PATH/Dockerfile\")")
    String file;

    @Option(names = "--build-arg", paramLabel = "list", description = "Set build-time variables")
    List<String> buildArgs;

    @Option(names = "--target", paramLabel = "string", description = "Set the target build stage to build.")
    String target;

    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;

    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "string", description = "Write the image ID to the file")
    String iidfile;

    @Option(names = "--label", paramLabel = "list", description = "Set metadata for an image")
    List<String> labels;

    @Option(names = "--secret", paramLabel = "stringArray",
            description = "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")")
    List<String> secrets;

    @Option(names = "--progress", paramLabel = "string", description = "Set type of progress output (\"auto\", \"plain\", \"tty\")")
    String progress;

    @Option(names = "--network", paramLabel = "string", description = "Set the networking mode for the RUN instructions during build")
    String network;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = "--cache-from", paramLabel = "strings", description = "Images to consider as cache sources")
    List<String> cacheFrom;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireExactly(args, 1);
        String mode = progress == null ? "auto" : progress;
        if (!List.of("auto", "plain", "tty").contains(mode)) {
            throw new Cli.Exit(1, "invalid --progress value \"" + mode + "\": use auto, plain or tty");
        }
        boolean tty = mode.equals("tty") || mode.equals("auto") && cli.terminal().isInteractive();
        String ctxArg = args.getFirst();
        ContextTar.Spec spec = spec(ctxArg);
        AtomicLong sent = new AtomicLong();
        PrintStream out = cli.out();
        BuildApi.BuildOptions o = new BuildApi.BuildOptions(dockerfileName, orEmpty(tags), buildArgs(), target,
                keyValues(labels), noCache, pull, quiet, List.copyOf(spec.secrets().keySet()), platform,
                network, orEmpty(cacheFrom));
        BuildApi.BuildResult result;
        try (InputStream body = ContextTar.open(spec, sent)) {
            boolean[] first = {true};
            result = cli.client().builds().build(body, o, m -> {
                if (first[0] && !quiet) {
                    out.println("Sending build context to Wharf daemon  " + Units.humanSize(sent.get()));
                }
                first[0] = false;
                show(out, m, tty);
            });
        } catch (BuildApi.BuildFailedException e) {
            out.flush();
            cli.err().println(tty ? "\u001b[31m" + e.getMessage() + "\u001b[0m" : e.getMessage());
            throw new Cli.Exit(e.code() > 0 ? e.code() : 1, null);
        }
        if (quiet) {
            out.println(result.imageId());
        }
        if (iidfile != null) {
            Files.writeString(Path.of(iidfile), result.imageId());
        }
        return 0;
    }

    private void show(PrintStream out, BuildMessage m, boolean tty) {
        if (quiet) {
            return;
        }
        if (m.stream() == null) {
            if (m.status() != null) { // a FROM's pull: drawn as docker pull draws it
                if (pullDisplay == null) {
                    pullDisplay = new ProgressDisplay(out, tty);
                }
                pullDisplay.show(new ProgressMessage(m.status(), m.id(), m.progressDetail(), m.progress(), null, null,
                        null, null));
            }
            return;
        }
        String s = m.stream();
        if (tty && s.startsWith("Step ")) {
            out.print("\u001b[1m" + s + "\u001b[0m");
        } else {
            out.print(s);
        }
        out.flush();
    }

    private String dockerfileName;
    private ProgressDisplay pullDisplay;

    private ContextTar.Spec spec(String ctxArg) throws IOException {
        Map<String, byte[]> secretValues = secrets();
        if (ctxArg.equals("-")) {
            byte[] in = cli.in().readAllBytes();
            if (isArchive(in)) {
                throw new Cli.Exit(1, "a context tar on stdin is not supported by wharf build yet; pass a directory");
            }
            dockerfileName = "Dockerfile";
            return new ContextTar.Spec(null, IgnoreMatcher.none(), null, "Dockerfile", in, secretValues);
        }
        Path dir = Path.of(ctxArg);
        if (!Files.isDirectory(dir)) {
            throw new Cli.Exit(1, "unable to prepare context: path \"" + ctxArg + "\" not found");
        }
        Path df = file == null ? dir.resolve("Dockerfile") : file.equals("-") ? null : Path.of(file);
        byte[] outside = null;
        String name;
        if (df == null) {
            outside = cli.in().readAllBytes();
            name = ".dockerfile." + random();
        } else {
            if (!Files.isRegularFile(df) && file == null && Files.isRegularFile(dir.resolve("dockerfile"))) {
                df = dir.resolve("dockerfile");
            }
            if (!Files.isRegularFile(df)) {
                throw new Cli.Exit(1, "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                        + df.toAbsolutePath() + ": no such file or directory");
            }
            Path rel = dir.toAbsolutePath().normalize().relativize(df.toAbsolutePath().normalize());
            if (rel.startsWith("..")) {
                outside = Files.readAllBytes(df);
                name = ".dockerfile." + random();
            } else {
                name = rel.toString();
            }
        }
        dockerfileName = name;
        IgnoreMatcher ignore = IgnoreMatcher.none();
        Path own = df == null ? null : df.resolveSibling(df.getFileName() + ".dockerignore");
        Path shared = dir.resolve(".dockerignore");
        try {
            if (own != null && Files.isRegularFile(own)) {
                ignore = IgnoreMatcher.parse(Files.readString(own, StandardCharsets.UTF_8));
            } else if (Files.isRegularFile(shared)) {
                ignore = IgnoreMatcher.parse(Files.readString(shared, StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            throw new Cli.Exit(1, "error checking context: " + e.getMessage());
        }
        return new ContextTar.Spec(dir, ignore, outside == null ? name : null, name, outside, secretValues);
    }

    private static boolean isArchive(byte[] b) {
        if (b.length > 3 && (b[0] == 0x1f && (b[1] & 0xff) == 0x8b || b[0] == 'B' && b[1] == 'Z' && b[2] == 'h')) {
            return true;
        }
        return b.length >= 262 && b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r';
    }

    private static String random() {
        byte[] r = new byte[10];
        new SecureRandom().nextBytes(r);
        return HexFormat.of().formatHex(r);
    }

    private Map<String, String> buildArgs() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : orEmpty(buildArgs)) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                String env = System.getenv(a);
                if (env != null) {
                    m.put(a, env); // docker takes a bare name's value from the environment
                }
            } else {
                m.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        return m;
    }

    private static Map<String, String> keyValues(List<String> list) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : orEmpty(list)) {
            int eq = kv.indexOf('=');
            m.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return m;
    }

    /** {@code --secret id=x,src=file} or {@code id=x,env=VAR}; a bare {@code id=x} reads the env var or file x. */
    private Map<String, byte[]> secrets() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String spec : orEmpty(secrets)) {
            String id = null;
            String src = null;
            String env = null;
            for (String f : spec.split(",")) {
                int eq = f.indexOf('=');
                String k = eq < 0 ? f : f.substring(0, eq);
                String v = eq < 0 ? "" : f.substring(eq + 1);
                switch (k) {
                    case "id" -> id = v;
                    case "src", "source" -> src = v;
                    case "env" -> env = v;
                    case "type" -> {
                        if (!v.equals("file") && !v.equals("env")) {
                            throw new Cli.Exit(1, "unsupported secret type " + v);
                        }
                    }
                    default -> throw new Cli.Exit(1, "unexpected key '" + k + "' in '" + spec + "'");
                }
            }
            if (id == null || id.isEmpty() || !id.matches("[A-Za-z0-9._-]+")) {
                throw new Cli.Exit(1, "invalid secret " + spec + ": give id=<name> (letters, digits, . _ -)");
            }
            if (src == null && env == null) {
                if (System.getenv(id) != null) {
                    env = id;
                } else {
                    src = id;
                }
            }
            try {
                m.put(id, env != null ? System.getenv().getOrDefault(env, "").getBytes(StandardCharsets.UTF_8)
                        : Files.readAllBytes(Path.of(src)));
            } catch (NoSuchFileException e) {
                throw new Cli.Exit(1, "failed to read secret " + id + ": open " + src + ": no such file or directory");
            }
        }
        return m;
    }
}
