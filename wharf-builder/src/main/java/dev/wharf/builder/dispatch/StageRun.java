package dev.wharf.builder.dispatch;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.builder.instruction.ArgDef;
import dev.wharf.builder.instruction.Instruction;
import dev.wharf.builder.instruction.KeyValue;
import dev.wharf.builder.instruction.RunMount;
import dev.wharf.builder.parse.DockerfileParser;
import dev.wharf.builder.parse.Heredoc;
import dev.wharf.oci.image.ImageConfig.RunConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** Builds one stage: its FROM, the base image's ONBUILD triggers, then each instruction in turn. */
final class StageRun {

    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private final Dispatcher.Build b;
    private final Dispatcher.Stage stage;
    private final int total;
    private final BuildOutput out;
    private final Map<String, String> extraLabels;
    private int step;
    private ImageState state;
    private final Map<String, String> args = new LinkedHashMap<>();
    private boolean cmdSet;

    StageRun(Dispatcher.Build b, Dispatcher.Stage stage, int firstStep, int total, BuildOutput out,
            Map<String, String> extraLabels) {
        this.b = b;
        this.stage = stage;
        this.step = firstStep;
        this.total = total;
        this.out = out;
        this.extraLabels = extraLabels;
    }

    ImageState run() {
        printStep(stage.from().line().original());
        state = from(stage.from());
        List<String> triggers = state.config().onBuild();
        if (triggers != null && !triggers.isEmpty()) {
            out.stream("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s")
                    + "\n");
            state = state.withConfig(ConfigEdits.onBuild(state.config(), null));
            for (String t : triggers) {
                var lines = DockerfileParser.parse(t).lines();
                for (var l : lines) {
                    state = dispatch(b.instructions.parse(l));
                }
            }
        }
        // after the base's triggers, as Docker's builder: the FROM step's image is the one they made
        out.stream(" ---> " + Dispatcher.shortId(state.id()) + "\n");
        for (Instruction i : stage.body()) {
            if (b.cancelled.get()) {
                throw new Dispatcher.Cancelled();
            }
            printStep(i.line().original());
            state = dispatch(i);
            out.stream(" ---> " + Dispatcher.shortId(state.id()) + "\n");
        }
        if (!extraLabels.isEmpty()) {
            StringBuilder text = new StringBuilder("LABEL");
            new TreeMap<>(extraLabels).forEach((k, v) -> text.append(' ').append(quote(k)).append('=')
                    .append(quote(v)));
            printStep(text.toString());
            RunConfig next = ConfigEdits.labels(state.config(), new TreeMap<>(extraLabels));
            state = metadata(text.toString(), next, state.author());
            out.stream(" ---> " + Dispatcher.shortId(state.id()) + "\n");
        }
        return state;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void printStep(String text) {
        out.stream("Step " + step++ + "/" + total + " : " + text);
        out.stream("\n");
    }

    // ---- FROM ----

    private ImageState from(Instruction.From f) {
        String ref = b.expandMeta(f.image());
        String platform = f.platform() == null ? b.req.platform() : b.expandMeta(f.platform());
        if (ref.isEmpty()) {
            throw new InvalidArgumentException("base name (" + f.image() + ") should not be blank");
        }
        int base = b.stageIndex(ref, stage.index());
        if (base >= 0) {
            return stageResult(base);
        }
        if (ref.equalsIgnoreCase("scratch")) {
            return ImageState.scratch();
        }
        return b.backend.resolveImage(ref, platform, b.req.pull(), out);
    }

    private ImageState stageResult(int index) {
        var f = b.results.get(index);
        if (f == null) {
            throw new InvalidArgumentException("stage " + index + " is not part of this build");
        }
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new Dispatcher.Cancelled();
        }
    }

    // ---- one instruction ----

    private ImageState dispatch(Instruction i) {
        RunConfig c = state.config();
        return switch (i) {
            case Instruction.From f -> throw new IllegalStateException("FROM inside a stage");
            case Instruction.Env e -> {
                Map<String, String> set = new LinkedHashMap<>();
                for (KeyValue kv : e.pairs()) {
                    String k = word(kv.key());
                    String v = kv.legacy() ? word(kv.value()) : word(kv.value());
                    set.put(k, v);
                }
                yield metadata(i.line().original(), ConfigEdits.env(c, set), state.author());
            }
            case Instruction.Label l -> {
                Map<String, String> set = new LinkedHashMap<>();
                for (KeyValue kv : l.pairs()) {
                    set.put(word(kv.key()), word(kv.value()));
                }
                yield metadata(i.line().original(), ConfigEdits.labels(c, set), state.author());
            }
            case Instruction.Arg a -> {
                for (ArgDef d : a.args()) {
                    b.consumed.add(d.name());
                    String v = b.req.buildArgs().get(d.name());
                    if (v == null) {
                        if (d.defaultValue() != null) {
                            v = word(d.defaultValue());
                        } else if (b.meta.containsKey(d.name())) {
                            v = b.meta.get(d.name());
                        } else {
                            v = b.platformArgs.get(d.name());
                        }
                    }
                    args.put(d.name(), v);
                }
                yield metadata(i.line().original(), c, state.author());
            }
            case Instruction.Workdir w -> workdir(w, c);
            case Instruction.User u -> metadata(i.line().original(), ConfigEdits.user(c, word(u.user())),
                    state.author());
            case Instruction.Cmd cmd -> {
                cmdSet = true;
                yield metadata(i.line().original(), ConfigEdits.cmd(c, cmd.command().argv(shell())), state.author());
            }
            case Instruction.Entrypoint ep -> metadata(i.line().original(),
                    ConfigEdits.entrypoint(c, ep.command().argv(shell()), cmdSet), state.author());
            case Instruction.Expose ex -> {
                List<String> ports = new ArrayList<>();
                for (String p : ex.ports()) {
                    ports.addAll(words(p));
                }
                yield metadata(i.line().original(), ConfigEdits.expose(c, ports), state.author());
            }
            case Instruction.Volume v -> {
                List<String> paths = new ArrayList<>();
                for (String p : v.paths()) {
                    String e = word(p);
                    if (e.isBlank()) {
                        throw new InvalidArgumentException("VOLUME specified can not be an empty string");
                    }
                    paths.add(e);
                }
                yield metadata(i.line().original(), ConfigEdits.volumes(c, paths), state.author());
            }
            case Instruction.StopSignal s -> metadata(i.line().original(), ConfigEdits.stopSignal(c, word(s.signal())),
                    state.author());
            case Instruction.Healthcheck h -> {
                Object health = h.none() ? Map.of("Test", List.of("NONE"))
                        : ConfigEdits.healthcheck(RunCommand.healthTest(h.test()), h.interval(), h.timeout(), h.startPeriod(),
                                h.startInterval(), h.retries());
                yield metadata(i.line().original(), ConfigEdits.health(c, health), state.author());
            }
            case Instruction.Shell s -> metadata(i.line().original(), ConfigEdits.shell(c, s.shell()), state.author());
            case Instruction.OnBuild o -> {
                List<String> t = new ArrayList<>(c.onBuild() == null ? List.of() : c.onBuild());
                t.add(o.trigger());
                yield metadata(i.line().original(), ConfigEdits.onBuild(c, t), state.author());
            }
            case Instruction.Maintainer m -> metadata(i.line().original(), c, m.name());
            case Instruction.Run r -> run(r);
            case Instruction.Copy cp -> copy(cp);
        };
    }

    // ---- metadata and cache ----

    private ImageState metadata(String text, RunConfig next, String author) {
        ImageState target = new ImageState(state.id(), next, author, state.os(), state.architecture());
        String key = key(text, "");
        return cachedOr(key, target, () -> b.backend.commit(state.id(), target, "/bin/sh -c #(nop)  " + text,
                null));
    }

    private ImageState cachedOr(String key, ImageState target, Supplier<String> make) {
        Optional<String> hit = lookup(key);
        if (hit.isPresent()) {
            out.stream(" ---> Using cache\n");
            return target.withId(hit.get());
        }
        String id = make.get();
        b.backend.remember(key, id);
        return target.withId(id);
    }

    private Optional<String> lookup(String key) {
        if (b.req.noCache()) {
            return Optional.empty();
        }
        Optional<String> hit = b.backend.cached(key);
        if (hit.isEmpty() || b.cacheFrom.isEmpty() && b.req.cacheFrom().isEmpty()) {
            return hit;
        }
        for (String from : b.cacheFrom) {
            if (b.backend.isAncestor(hit.get(), from)) {
                return hit;
            }
        }
        return Optional.empty();
    }

    /** The cache key: parent, instruction, build arguments in scope, and what the step reads. */
    private String key(String instruction, String extra) {
        MessageDigest md = dev.wharf.base.id.Digest.sha256();
        StringBuilder s = new StringBuilder("wharf-build-cache/1\n");
        s.append(state.id() == null ? "scratch" : state.id()).append('\n');
        s.append(instruction).append('\n');
        new TreeMap<>(args).forEach((k, v) -> {
            if (v != null) {
                s.append("arg ").append(k).append('=').append(v).append('\n');
            }
        });
        s.append(extra);
        return "sha256:" + HexFormat.of().formatHex(md.digest(s.toString().getBytes(StandardCharsets.UTF_8)));
    }

    // ---- expansion ----

    private Function<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> list = state.config().env();
        if (list != null) {
            for (String e : list) {
                int eq = e.indexOf('=');
                env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
        }
        return n -> env.containsKey(n) ? env.get(n) : args.get(n);
    }

    private String word(String w) {
        return b.lexer.processWord(w, env());
    }

    private List<String> words(String w) {
        return b.lexer.processWords(w, env());
    }

    private List<String> shell() {
        List<String> s = state.config().shell();
        return s == null || s.isEmpty() ? DEFAULT_SHELL : s;
    }

    // ---- WORKDIR ----

    private ImageState workdir(Instruction.Workdir w, RunConfig c) {
        String dir = word(w.path());
        if (!dir.startsWith("/")) {
            String cur = c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir();
            dir = cur + (cur.endsWith("/") ? "" : "/") + dir;
        }
        String clean = cleanPath(dir);
        RunConfig next = ConfigEdits.workdir(c, clean);
        ImageState target = new ImageState(state.id(), next, state.author(), state.os(), state.architecture());
        String key = key(w.line().original(), "workdir " + clean);
        return cachedOr(key, target, () -> {
            BuildBackend.Layer layer = b.backend.mkdir(state.id(), clean);
            return b.backend.commit(state.id(), target, "/bin/sh -c #(nop) WORKDIR " + clean, layer);
        });
    }

    static String cleanPath(String p) {
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(s);
        }
        return "/" + String.join("/", parts);
    }

    // ---- RUN ----

    private ImageState run(Instruction.Run r) {
        List<BuildBackend.Mount> mounts = new ArrayList<>();
        List<String> argv = RunCommand.argv(r, shell(), mounts);
        StringBuilder extra = new StringBuilder();
        for (RunMount m : r.mounts()) {
            BuildBackend.Mount mount = mount(m);
            mounts.add(mount);
            extra.append("mount ").append(mount.type()).append(' ').append(mount.target()).append(' ')
                    .append(mount.id()).append(' ').append(mount.readOnly()).append(' ').append(mount.mode())
                    .append(' ').append(mount.uid()).append(' ').append(mount.gid()).append('\n');
            if (mount.type().equals("bind")) {
                if (mount.fromImageId() != null) {
                    extra.append("from ").append(mount.fromImageId()).append(' ').append(mount.source()).append('\n');
                } else {
                    var src = b.backend.sources(new BuildBackend.SourceRequest(null,
                            List.of(mount.source() == null ? "." : mount.source()), List.of(), false, null, false));
                    extra.append("context ").append(src.checksum()).append('\n');
                }
            }
        }
        for (BuildBackend.Mount m : mounts) {
            if (m.type().equals("inline")) {
                extra.append("inline ").append(m.target()).append(' ').append(m.content()).append('\n');
            }
        }
        String network = r.network() == null || r.network().equals("default") ? null : r.network();
        extra.append("network ").append(network).append('\n');
        extra.append("argv ").append(String.join("\u0000", argv)).append('\n');
        List<String> env = new ArrayList<>(state.config().env() == null ? List.of() : state.config().env());
        java.util.Set<String> envKeys = new java.util.HashSet<>();
        for (String e : env) {
            envKeys.add(e.contains("=") ? e.substring(0, e.indexOf('=')) : e);
        }
        TreeMap<String, String> visible = new TreeMap<>();
        args.forEach((k, v) -> {
            if (v != null && !envKeys.contains(k)) {
                visible.put(k, v);
            }
        });
        for (Map.Entry<String, String> e : b.req.buildArgs().entrySet()) {
            if (Dispatcher.PROXY_ARGS.contains(e.getKey()) && e.getValue() != null && !envKeys.contains(e.getKey())
                    && !visible.containsKey(e.getKey())) {
                env.add(e.getKey() + "=" + e.getValue());
            }
        }
        visible.forEach((k, v) -> env.add(k + "=" + v));
        StringBuilder createdBy = new StringBuilder();
        if (!visible.isEmpty()) {
            createdBy.append('|').append(visible.size());
            visible.forEach((k, v) -> createdBy.append(' ').append(k).append('=').append(v));
            createdBy.append(' ');
        }
        createdBy.append(String.join(" ", argv));
        String key = key(r.line().original() + RunCommand.heredocText(r.heredocs()), extra.toString());
        RunConfig c = state.config();
        List<String> finalArgv = argv;
        ImageState target = state;
        return cachedOr(key, target, () -> {
            BuildBackend.RunSpec spec = new BuildBackend.RunSpec(state.id(), finalArgv, env, c.user(),
                    c.workingDir(), network, mounts);
            BuildBackend.Layer layer = b.backend.run(spec, out);
            return b.backend.commit(state.id(), target, createdBy.toString(), layer);
        });
    }

    private BuildBackend.Mount mount(RunMount m) {
        String type = m.type();
        String target = m.target() == null ? null : word(m.target());
        String id = m.id() == null ? null : word(m.id());
        String fromImage = null;
        if (m.from() != null) {
            String ref = b.expandMeta(m.from());
            int idx = b.stageIndex(ref, stage.index());
            fromImage = idx >= 0 ? stageResult(idx).id() : b.backend.resolveImage(ref, null, false, out).id();
        }
        if (type.equals("secret")) {
            if (id == null) {
                id = target == null ? null : target.substring(target.lastIndexOf('/') + 1);
            }
            if (id == null || id.isEmpty()) {
                throw new InvalidArgumentException("secret ID missing from mount options");
            }
            if (target == null) {
                target = "/run/secrets/" + id;
            }
        }
        if (target != null && !target.startsWith("/")) {
            String cur = state.config().workingDir() == null ? "/" : state.config().workingDir();
            target = cleanPath(cur + "/" + target);
        }
        if (type.equals("cache") && id == null) {
            id = target;
        }
        String source = m.source() == null ? null : word(m.source());
        return new BuildBackend.Mount(type, target, source, fromImage, id, m.readOnly(), m.sharing(), m.mode(),
                m.uid(), m.gid(), m.required(), m.size(), m.env(), null);
    }

    // ---- COPY / ADD ----

    private ImageState copy(Instruction.Copy cp) {
        String fromImage = null;
        if (cp.from() != null) {
            String ref = b.expandMeta(cp.from());
            int idx = b.stageIndex(ref, stage.index());
            fromImage = idx >= 0 ? stageResult(idx).id() : b.backend.resolveImage(ref, null, false, out).id();
            if (fromImage == null && idx < 0) {
                throw new InvalidArgumentException("invalid from flag value " + ref);
            }
            if (fromImage == null) {
                fromImage = "scratch";
            }
        }
        List<String> paths = new ArrayList<>();
        for (String s : cp.sources()) {
            paths.add(word(s));
        }
        List<BuildBackend.Inline> inline = new ArrayList<>();
        for (Heredoc h : cp.heredocs()) {
            String content = h.expand() ? b.lexer.expandVariables(h.content(), env()) : h.content();
            inline.add(new BuildBackend.Inline(h.name(), content.getBytes(StandardCharsets.UTF_8)));
        }
        if (paths.isEmpty() && inline.isEmpty()) {
            throw new InvalidArgumentException((cp.add() ? "ADD" : "COPY") + " failed: no source files were specified");
        }
        String dest = word(cp.dest());
        String workdir = state.config().workingDir() == null || state.config().workingDir().isEmpty() ? "/"
                : state.config().workingDir();
        if (!dest.startsWith("/")) {
            boolean dirSlash = dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.");
            dest = cleanPath(workdir + "/" + dest);
            if (dirSlash && !dest.endsWith("/")) {
                dest += "/";
            }
        }
        String chown = cp.chown() == null ? null : word(cp.chown());
        String chmod = cp.chmod() == null ? null : word(cp.chmod());
        if (chmod != null && !chmod.matches("[0-7]{3,4}")) {
            throw new InvalidArgumentException("invalid chmod parameter: " + chmod);
        }
        String checksum = cp.checksum() == null ? null : word(cp.checksum());
        if (checksum != null && !cp.add()) {
            throw new InvalidArgumentException("COPY does not take --checksum");
        }
        if (paths.size() + inline.size() > 1 && !dest.endsWith("/")) {
            throw new InvalidArgumentException("When using " + (cp.add() ? "ADD" : "COPY")
                    + " with more than one source file, the destination must be a directory and end with a /");
        }
        BuildBackend.Sources sources = b.backend.sources(new BuildBackend.SourceRequest(fromImage, paths, inline,
                cp.add(), checksum, cp.keepGitDir()));
        String extra = "dest " + dest + "\nchown " + chown + "\nchmod " + chmod + "\nlink " + cp.link() + "\nfrom "
                + fromImage + "\nsources " + sources.checksum() + "\n";
        String key = key(cp.line().original() + RunCommand.heredocText(cp.heredocs()), extra);
        String finalDest = dest;
        String kind = cp.add() ? "ADD" : "COPY";
        String hex = sources.checksum().startsWith("sha256:") ? sources.checksum().substring(7) : sources.checksum();
        String createdBy = "/bin/sh -c #(nop) " + kind + " " + (paths.size() + inline.size() == 1 ? "file:" : "multi:")
                + hex + " in " + finalDest + " ";
        ImageState target = state;
        return cachedOr(key, target, () -> {
            BuildBackend.Layer layer = b.backend.copy(new BuildBackend.CopySpec(state.id(), sources, finalDest, chown,
                    chmod, cp.link(), cp.add(), workdir));
            return b.backend.commit(state.id(), target, createdBy, layer);
        });
    }
}
