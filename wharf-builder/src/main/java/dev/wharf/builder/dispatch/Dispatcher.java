package dev.wharf.builder.dispatch;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.builder.instruction.ArgDef;
import dev.wharf.builder.instruction.Instruction;
import dev.wharf.builder.instruction.InstructionParser;
import dev.wharf.builder.instruction.RunMount;
import dev.wharf.builder.parse.Dockerfile;
import dev.wharf.builder.parse.DockerfileParser;
import dev.wharf.builder.shell.ShellLexer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a Dockerfile against a {@link BuildBackend}, writing Docker's classic builder output:
 * {@code Step N/M : …}, {@code  ---> Using cache}, {@code  ---> <id>}, and at the end
 * {@code Successfully built <id>} and {@code Successfully tagged <tag>}. Only the stages the target
 * needs are built; stages that do not depend on each other build at the same time, their output
 * kept in stage order.
 */
public final class Dispatcher {

    /** Build arguments every RUN sees when given, without an ARG, and that stay out of the cache key. */
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final BuildBackend backend;

    public Dispatcher(BuildBackend backend) {
        this.backend = backend;
    }

    /** One stage: its FROM and the instructions after it. */
    record Stage(int index, Instruction.From from, List<Instruction> body, String name) {
    }

    /** The result: the final image ID and the tags it got, as printed. */
    public record Result(String imageId, List<String> tags) {
    }

    /** Everything the stages of one build share. */
    static final class Build {
        final BuildRequest req;
        final BuildBackend backend;
        final ShellLexer lexer;
        final InstructionParser instructions;
        final Map<String, String> meta = new LinkedHashMap<>();
        final Map<String, String> platformArgs;
        final List<Stage> stages;
        final Map<Integer, CompletableFuture<ImageState>> results = new ConcurrentHashMap<>();
        final Set<String> consumed = ConcurrentHashMap.newKeySet();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final List<String> cacheFrom;

        Build(BuildRequest req, BuildBackend backend, char escape, List<Stage> stages, List<String> cacheFrom) {
            this.req = req;
            this.backend = backend;
            this.lexer = new ShellLexer(escape);
            this.instructions = new InstructionParser(escape);
            this.stages = stages;
            this.cacheFrom = cacheFrom;
            this.platformArgs = platformArgs(req.platform());
        }

        /** The stage a {@code --from}/{@code FROM} value names ({@code before}: only earlier stages), or -1. */
        int stageIndex(String ref, int before) {
            String r = ref.toLowerCase(Locale.ROOT);
            for (Stage s : stages) {
                if (s.index() < before && r.equals(s.name())) {
                    return s.index();
                }
            }
            if (r.matches("\\d{1,6}")) {
                int i = Integer.parseInt(r);
                if (i >= before) {
                    throw new InvalidArgumentException("invalid from flag value " + ref
                            + ": refers to current build stage or a later one");
                }
                return i;
            }
            return -1;
        }

        String expandMeta(String word) {
            return lexer.processWord(word, n -> meta.containsKey(n) ? meta.get(n) : null);
        }
    }

    public Result build(BuildRequest req, BuildOutput out) {
        Dockerfile df = DockerfileParser.parse(req.dockerfile());
        List<Instruction> all = new InstructionParser(df.escape()).parseAll(df.lines());
        if (all.isEmpty()) {
            throw new InvalidArgumentException("the Dockerfile cannot be empty");
        }
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction i : all) {
            if (i instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from, body, from.alias()));
                }
                from = f;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!(i instanceof Instruction.Arg a)) {
                    throw new InvalidArgumentException("dockerfile parse error on line " + i.line().startLine()
                            + ": no build stage in current context");
                }
                metaArgs.add(a);
            } else {
                body.add(i);
            }
        }
        if (from == null) {
            throw new InvalidArgumentException("no build stage in current context");
        }
        stages.add(new Stage(stages.size(), from, body, from.alias()));
        Set<String> names = new java.util.HashSet<>();
        for (Stage s : stages) {
            if (s.name() != null && !names.add(s.name())) {
                throw new InvalidArgumentException("duplicate name " + s.name());
            }
        }
        List<String> cacheFrom = new ArrayList<>();
        for (String ref : req.cacheFrom()) {
            try {
                cacheFrom.add(backend.resolveImage(ref, null, false, t -> { }).id());
            } catch (RuntimeException missing) {
                // Docker ignores --cache-from images it does not have
            }
        }
        Build b = new Build(req, backend, df.escape(), stages, cacheFrom);
        for (String w : df.warnings()) {
            out.stream("[WARNING]: " + w + "\n");
        }
        b.meta.putAll(b.platformArgs);
        for (Instruction.Arg a : metaArgs) {
            for (ArgDef d : a.args()) {
                b.consumed.add(d.name());
                String v = req.buildArgs().get(d.name());
                if (v == null) {
                    v = d.defaultValue() == null ? b.platformArgs.get(d.name()) : b.expandMeta(d.defaultValue());
                }
                b.meta.put(d.name(), v);
            }
        }
        int target = targetIndex(req.target(), stages);
        List<Integer> needed = needed(b, target);
        int total = metaArgs.size() + (req.labels().isEmpty() ? 0 : 1);
        for (int i : needed) {
            total += 1 + stages.get(i).body().size();
        }
        int step = 1;
        for (Instruction.Arg a : metaArgs) {
            out.stream("Step " + step++ + "/" + total + " : " + a.line().original());
            out.stream("\n");
        }
        Map<Integer, Integer> firstStep = new HashMap<>();
        for (int i : needed) {
            firstStep.put(i, step);
            step += 1 + stages.get(i).body().size();
        }
        OrderedOutput ordered = new OrderedOutput(out, needed);
        Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
        for (int i : needed) {
            b.results.put(i, new CompletableFuture<>());
        }
        List<Thread> threads = new ArrayList<>();
        final int totalSteps = total;
        for (int i : needed) {
            Stage s = stages.get(i);
            boolean last = i == target;
            BuildOutput so = ordered.forStage(i);
            threads.add(Thread.ofVirtual().name("build-stage-" + i).start(() -> {
                try {
                    ImageState r = new StageRun(b, s, firstStep.get(i), totalSteps, so,
                            last ? req.labels() : Map.of()).run();
                    b.results.get(i).complete(r);
                } catch (Throwable t) {
                    failures.put(i, t);
                    b.cancelled.set(true);
                    b.results.get(i).completeExceptionally(t);
                } finally {
                    ordered.done(i, failures.containsKey(i));
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                b.cancelled.set(true);
                Thread.currentThread().interrupt();
                throw new StepFailedException("the build was interrupted", 0);
            }
        }
        if (!failures.isEmpty()) {
            int first = firstFailure(needed, failures);
            ordered.flushThrough(first);
            Throwable t = failures.get(first);
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new StepFailedException(t.toString(), 0, t);
        }
        ImageState result = b.results.get(target).join();
        Set<String> unused = new TreeSet<>();
        for (String a : req.buildArgs().keySet()) {
            if (!b.consumed.contains(a) && !PROXY_ARGS.contains(a)) {
                unused.add(a);
            }
        }
        if (!unused.isEmpty()) {
            out.stream("[Warning] One or more build-args [" + String.join(" ", unused) + "] were not consumed\n");
        }
        if (result.id() == null) {
            throw new InvalidArgumentException("No image was generated. Is your Dockerfile empty?");
        }
        out.aux(result.id());
        out.stream("Successfully built " + shortId(result.id()) + "\n");
        List<String> tagged = new ArrayList<>();
        if (!req.tags().isEmpty()) {
            backend.tag(result.id(), req.tags());
            for (String t : req.tags()) {
                out.stream("Successfully tagged " + familiar(t) + "\n");
                tagged.add(t);
            }
        }
        return new Result(result.id(), tagged);
    }

    private static int firstFailure(List<Integer> order, Map<Integer, Throwable> failures) {
        // a stage stopped because another failed is not the failure to report
        for (int i : order) {
            Throwable t = failures.get(i);
            if (t != null && !(t instanceof Cancelled)) {
                return i;
            }
        }
        return order.stream().filter(failures::containsKey).findFirst().orElseThrow();
    }

    /** Thrown in a stage that stops because another one failed. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private static int targetIndex(String target, List<Stage> stages) {
        if (target == null || target.isEmpty()) {
            return stages.size() - 1;
        }
        for (Stage s : stages) {
            if (target.toLowerCase(Locale.ROOT).equals(s.name())) {
                return s.index();
            }
        }
        throw new InvalidArgumentException("failed to reach build target " + target + " in Dockerfile");
    }

    /** The stages the target depends on (through FROM, COPY --from and RUN --mount from=), in index order. */
    private static List<Integer> needed(Build b, int target) {
        Set<Integer> seen = new TreeSet<>();
        List<Integer> todo = new ArrayList<>(List.of(target));
        while (!todo.isEmpty()) {
            int i = todo.removeLast();
            if (!seen.add(i)) {
                continue;
            }
            todo.addAll(dependencies(b, b.stages.get(i)));
        }
        return new ArrayList<>(seen);
    }

    static Set<Integer> dependencies(Build b, Stage s) {
        Set<Integer> deps = new LinkedHashSet<>();
        int base = b.stageIndex(b.expandMeta(s.from().image()), s.index());
        if (base >= 0) {
            deps.add(base);
        }
        for (Instruction i : s.body()) {
            if (i instanceof Instruction.Copy c && c.from() != null) {
                int d = b.stageIndex(b.expandMeta(c.from()), s.index());
                if (d >= 0) {
                    deps.add(d);
                }
            } else if (i instanceof Instruction.Run r) {
                for (RunMount m : r.mounts()) {
                    if (m.from() != null) {
                        int d = b.stageIndex(b.expandMeta(m.from()), s.index());
                        if (d >= 0) {
                            deps.add(d);
                        }
                    }
                }
            }
        }
        return deps;
    }

    static Map<String, String> platformArgs(String platform) {
        String p = platform == null || platform.isEmpty() ? "linux/amd64" : platform;
        String[] parts = p.split("/");
        String os = parts[0];
        String arch = parts.length > 1 ? parts[1] : "amd64";
        String variant = parts.length > 2 ? parts[2] : "";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TARGETPLATFORM", p);
        m.put("TARGETOS", os);
        m.put("TARGETARCH", arch);
        m.put("TARGETVARIANT", variant);
        m.put("BUILDPLATFORM", "linux/amd64");
        m.put("BUILDOS", "linux");
        m.put("BUILDARCH", "amd64");
        m.put("BUILDVARIANT", "");
        return m;
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** {@code foo} → {@code foo:latest}, as Docker prints a tag. */
    static String familiar(String tag) {
        int slash = tag.lastIndexOf('/');
        int colon = tag.lastIndexOf(':');
        if (tag.contains("@") || colon > slash) {
            return tag;
        }
        return tag + ":latest";
    }
}
