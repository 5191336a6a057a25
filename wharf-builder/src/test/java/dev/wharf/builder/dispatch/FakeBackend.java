package dev.wharf.builder.dispatch;

import dev.wharf.base.error.NotFoundException;
import dev.wharf.oci.image.ImageConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory backend: images are counters, RUN fails on {@code exit N}, context files are a map. */
final class FakeBackend implements BuildBackend {

    record Made(String id, String parent, ImageState state, String createdBy, Layer layer) {
    }

    final Map<String, ImageState> images = new ConcurrentHashMap<>();
    final Map<String, Made> made = new ConcurrentHashMap<>();
    final Map<String, String> cache = new ConcurrentHashMap<>();
    final Map<String, byte[]> context = new ConcurrentHashMap<>();
    final List<RunSpec> runs = Collections.synchronizedList(new ArrayList<>());
    final List<CopySpec> copies = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<String>> tags = new ConcurrentHashMap<>();
    final List<String> resolved = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger counter = new AtomicInteger();
    /** RUN commands wait on this to show parallel stages. */
    volatile java.util.concurrent.CountDownLatch runGate;

    FakeBackend() {
        images.put("sha256:" + "b".repeat(64), new ImageState("sha256:" + "b".repeat(64),
                new ImageConfig.RunConfig(null, null, List.of("PATH=/bin"), null, List.of("sh"), null, null, null,
                        null, null, null, null), null, "linux", "amd64"));
    }

    static final String BASE = "sha256:" + "b".repeat(64);

    @Override
    public ImageState resolveImage(String ref, String platform, boolean pull, BuildOutput out) {
        resolved.add(ref);
        if (ref.equals("busybox") || ref.equals("busybox:latest")) {
            return images.get(BASE);
        }
        for (var e : tags.entrySet()) {
            if (e.getValue().contains(ref)) {
                return images.get(e.getKey());
            }
        }
        throw new NotFoundException("pull access denied for " + ref + ", repository does not exist");
    }

    @Override
    public ImageState image(String id) {
        return images.get(id);
    }

    @Override
    public Optional<String> cached(String key) {
        return Optional.ofNullable(cache.get(key));
    }

    @Override
    public void remember(String key, String imageId) {
        cache.put(key, imageId);
    }

    @Override
    public boolean isAncestor(String ancestor, String imageId) {
        for (String id = imageId; id != null; id = made.containsKey(id) ? made.get(id).parent() : null) {
            if (id.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    record FakeSources(String checksum, List<String> paths) implements Sources {
    }

    @Override
    public Sources sources(SourceRequest r) {
        StringBuilder sum = new StringBuilder(String.valueOf(r.fromImageId()));
        for (String p : r.paths()) {
            if (r.fromImageId() == null && !p.equals(".") && !context.containsKey(p)) {
                throw new NotFoundException("file not found in build context: " + p);
            }
            sum.append(p).append('=').append(new String(context.getOrDefault(p, new byte[0]), StandardCharsets.UTF_8));
        }
        for (Inline i : r.inline()) {
            sum.append(i.name()).append('=').append(new String(i.content(), StandardCharsets.UTF_8));
        }
        return new FakeSources("sha256:" + Integer.toHexString(sum.toString().hashCode()), r.paths());
    }

    record FakeLayer(boolean empty, String what) implements Layer {
    }

    @Override
    public Layer run(RunSpec spec, BuildOutput out) {
        runs.add(spec);
        out.stream(" ---> Running in c0ffee000000\n");
        String cmd = String.join(" ", spec.argv());
        var gate = runGate;
        if (gate != null && cmd.contains("wait")) {
            gate.countDown();
            try {
                if (!gate.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other stage never ran at the same time");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        var m = java.util.regex.Pattern.compile("exit (\\d+)").matcher(cmd);
        if (m.find() && !m.group(1).equals("0")) {
            int code = Integer.parseInt(m.group(1));
            throw new StepFailedException("The command '" + cmd + "' returned a non-zero code: " + code, code);
        }
        out.stream("output of " + cmd + "\n");
        out.stream("Removing intermediate container c0ffee000000\n");
        return new FakeLayer(false, cmd);
    }

    @Override
    public Layer copy(CopySpec spec) {
        copies.add(spec);
        return new FakeLayer(false, "copy " + spec.dest());
    }

    @Override
    public Layer mkdir(String parentId, String path) {
        return new FakeLayer(false, "mkdir " + path);
    }

    @Override
    public String commit(String parentId, ImageState state, String createdBy, Layer layer) {
        String id = String.format("sha256:%064x", counter.incrementAndGet());
        ImageState s = state.withId(id);
        images.put(id, s);
        made.put(id, new Made(id, parentId, s, createdBy, layer));
        return id;
    }

    @Override
    public void tag(String imageId, List<String> t) {
        for (String tag : t) {
            tags.values().forEach(l -> l.remove(tag));
            tags.computeIfAbsent(imageId, k -> new ArrayList<>()).add(tag);
        }
    }

    /** The history lines from {@code id} back to the base, oldest first. */
    List<String> history(String id) {
        List<String> out = new ArrayList<>();
        for (String i = id; made.containsKey(i); i = made.get(i).parent()) {
            out.addFirst(made.get(i).createdBy());
        }
        return out;
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
