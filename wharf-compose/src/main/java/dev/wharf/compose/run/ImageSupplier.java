package dev.wharf.compose.run;

import dev.wharf.client.ApiException;
import dev.wharf.client.ImageSupplyApi;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.model.image.ImageInspect;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images a project's services run: pulled ({@code POST /images/create}) or built
 * ({@code POST /build}) when missing, by {@code pull_policy}, or always with {@code --build};
 * their IDs feed the planner (a changed image recreates the service's containers).
 */
final class ImageSupplier {

    private final WharfClient client;
    private final Progress progress;

    ImageSupplier(WharfClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** The image ID of a reference, or null when the daemon does not have it. */
    String imageId(String ref) {
        try {
            ImageInspect i = client.images().inspect(ref);
            return i.id();
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /** Makes sure each service's image is there; returns service → image ID. */
    Map<String, String> ensure(Project p, List<Service> services, boolean build, boolean quietPull) {
        Map<String, String> ids = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Service s : services) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    String id = ensure(p, s, build);
                    if (id != null) {
                        ids.put(s.name(), id);
                    }
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }));
        }
        join(threads);
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
        return new TreeMap<>(ids);
    }

    private String ensure(Project p, Service s, boolean forceBuild) {
        String ref = s.imageName(p.name());
        String policy = s.pullPolicy() == null ? "missing" : s.pullPolicy();
        if (s.build() != null && (forceBuild || policy.equals("build"))) {
            return build(p, s);
        }
        String id = imageId(ref);
        if (policy.equals("always") && s.image() != null) {
            pull(ref);
            return imageId(ref);
        }
        if (id != null) {
            return id;
        }
        if (s.build() != null) {
            return build(p, s);
        }
        if (policy.equals("never")) {
            throw new ComposeException("image " + ref + " not found and pull_policy is never");
        }
        pull(ref);
        id = imageId(ref);
        if (id == null) {
            throw new ComposeException("image " + ref + " is still missing after its pull");
        }
        return id;
    }

    void pull(String ref) {
        String res = "Image " + ref;
        progress.status(res, "Pulling");
        int colon = ref.lastIndexOf(':');
        boolean hasTag = colon > ref.lastIndexOf('/') && !ref.contains("@");
        try {
            ImageSupplyApi.of(client).pull(hasTag ? ref.substring(0, colon) : ref, hasTag ? ref.substring(colon + 1)
                    : ref.contains("@") ? null : "latest", null, m -> progress.pull(ref, m));
        } catch (ApiException e) {
            progress.status(res, "Error");
            throw new ComposeException("pull of " + ref + " failed: " + e.getMessage(), e);
        }
        progress.status(res, "Pulled");
    }

    void push(String ref) {
        String res = "Image " + ref;
        progress.status(res, "Pushing");
        int colon = ref.lastIndexOf(':');
        boolean hasTag = colon > ref.lastIndexOf('/');
        try {
            ImageSupplyApi.of(client).push(hasTag ? ref.substring(0, colon) : ref, hasTag ? ref.substring(colon + 1)
                    : "latest", null, m -> progress.pull(ref, m));
        } catch (ApiException e) {
            progress.status(res, "Error");
            throw new ComposeException("push of " + ref + " failed: " + e.getMessage(), e);
        }
        progress.status(res, "Pushed");
    }

    /** Builds a service's image from its context, tagged with its image name; returns the image ID. */
    String build(Project p, Service s) {
        Service.Build b = s.build();
        String ref = s.imageName(p.name());
        String res = "Service " + s.name();
        progress.status(res, "Building");
        Map<String, String> labels = new TreeMap<>(b.labels());
        labels.put(Labels.PROJECT, p.name());
        labels.put(Labels.SERVICE, s.name());
        ImageSupplyApi.BuildOptions o = new ImageSupplyApi.BuildOptions(List.of(ref), b.dockerfile(), b.args(),
                b.target(), labels, b.network(), b.noCache(), b.pull(), b.shmSize(), b.extraHosts(), b.cacheFrom());
        ImageSupplyApi.BuildResult r;
        try (PipedInputStream in = new PipedInputStream(1 << 16); PipedOutputStream out = new PipedOutputStream(in)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try (out) {
                    ContextTar.write(Path.of(b.context()), b.dockerfile(), out);
                } catch (IOException e) {
                    // the daemon closed the request; its error is what the reader reports
                }
            });
            r = ImageSupplyApi.of(client).build(in, o, m -> progress.build(s.name(), m));
            writer.join();
        } catch (ApiException e) {
            progress.status(res, "Error");
            throw new ComposeException("failed to build " + s.name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ComposeException("failed to send the build context of " + s.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComposeException("interrupted");
        }
        progress.status(res, "Built");
        return r.imageId() != null ? r.imageId() : imageId(ref);
    }

    static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ComposeException("interrupted");
            }
        }
    }
}
