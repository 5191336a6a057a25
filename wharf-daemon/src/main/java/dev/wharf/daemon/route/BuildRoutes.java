package dev.wharf.daemon.route;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.Digest;
import dev.wharf.builder.dispatch.BuildOutput;
import dev.wharf.builder.dispatch.StepFailedException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.build.BuildOptions;
import dev.wharf.engine.build.BuildService;
import dev.wharf.model.Json;
import dev.wharf.model.build.BuildMessage;
import dev.wharf.model.build.BuildPruneResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Build routes (Docker's classic builder API).
 * <pre>
 *   POST /build?t&dockerfile&buildargs&target&labels&nocache&pull&rm&forcerm&q&cachefrom&networkmode
 *               &shmsize&memory&memswap&cpushares&cpusetcpus&cpusetmems&cpuperiod&cpuquota&extrahosts&platform
 *               &ulimits&cgroupparent   (the limits and extra hosts apply to every RUN step's container)
 *               tar context in (plain, gzip, bzip2, xz); JSON stream out; X-Registry-Config for auth.
 *               wharf's own: secrets=ID,… names secrets carried in the context under .wharf-build-secrets/
 *   POST /build/prune?all     {"CachesDeleted":[…],"SpaceReclaimed":n}
 * </pre>
 * Bad input (no Dockerfile, a parse error, a bad parameter) is a 4xx before the stream starts;
 * a failing step is an {@code errorDetail} message in the stream.
 */
public final class BuildRoutes {

    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final BuildService builds;

    public BuildRoutes(BuildService builds) {
        this.builds = builds;
    }

    public void register(Router r) {
        r.add("POST", "/build", this::build);
        r.add("POST", "/build/prune", ex -> {
            BuildService.PruneResult p = builds.prune(ex.queryBool("all", false));
            List<String> deleted = p.deleted().stream().map(Digest::toString).toList();
            ex.respondJson(200, new BuildPruneResponse(deleted.isEmpty() ? null : deleted, p.reclaimed()));
        });
        r.add("POST", "/build/cancel", ex -> ex.respondEmpty(200));
    }

    private void build(Exchange ex) throws IOException {
        BuildOptions o = options(ex);
        boolean quiet = ex.queryBool("q", false);
        try (BuildService.Prepared p = builds.prepare(o, ex.body())) {
            ex.body().transferTo(OutputStream.nullOutputStream());
            // a client that goes away (Ctrl-C on docker build) cancels the build, as with Docker:
            // a long RUN is killed rather than left to finish for nobody. The kill waits for the
            // step's exit, so it runs off the Netty thread that reports the client gone.
            ex.onClientGone(() -> Thread.ofVirtual().name("build-cancel").start(p::cancel));
            try (OutputStream out = ex.stream(200, "application/json")) {
                Stream s = new Stream(out, quiet);
                try {
                    BuildService.Result result = p.run(s);
                    if (quiet) {
                        s.send(BuildMessage.stream(result.imageId().toString() + "\n"));
                    }
                } catch (RuntimeException e) {
                    s.fail(e);
                }
            }
        }
    }

    /** The build's output: each message written whole with its line end, or held back for {@code q}. */
    private static final class Stream implements BuildOutput {
        private final OutputStream out;
        private final boolean quiet;
        private final List<BuildMessage> held = new ArrayList<>();
        private boolean broken;

        Stream(OutputStream out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public synchronized void stream(String text) {
            if (quiet) {
                held.add(BuildMessage.stream(text));
            } else {
                send(BuildMessage.stream(text));
            }
        }

        @Override
        public synchronized void pullProgress(String status, String id, Map<String, Object> detail, String bar) {
            BuildMessage m = BuildMessage.progress(status, id, detail, bar);
            if (quiet) {
                if (detail == null || !detail.containsKey("current")) { // byte counts are not worth holding
                    held.add(m);
                }
            } else {
                send(m);
            }
        }

        @Override
        public synchronized void aux(String imageId) {
            if (!quiet) {
                send(BuildMessage.imageId(imageId));
            }
        }

        synchronized void fail(RuntimeException e) {
            if (quiet) {
                held.forEach(this::send);
            }
            Integer code = e instanceof StepFailedException f && f.code() > 0 ? f.code() : null;
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!broken) {
                send(BuildMessage.failure(msg, code));
            }
        }

        synchronized void send(BuildMessage m) {
            if (broken) {
                throw new UncheckedIOException(new IOException("the client is gone"));
            }
            try {
                byte[] json = Json.mapper().writeValueAsBytes(m);
                byte[] line = new byte[json.length + CRLF.length];
                System.arraycopy(json, 0, line, 0, json.length);
                System.arraycopy(CRLF, 0, line, json.length, CRLF.length);
                out.write(line);
                out.flush();
            } catch (IOException e) {
                broken = true;
                throw new UncheckedIOException(e);
            }
        }
    }

    static BuildOptions options(Exchange ex) {
        String version = ex.query("version");
        if ("2".equals(version)) {
            throw new InvalidArgumentException("BuildKit is not supported by Wharf: build with the classic builder"
                    + " (DOCKER_BUILDKIT=0)");
        }
        String remote = ex.query("remote");
        if (remote != null && !remote.isEmpty()) {
            throw new InvalidArgumentException("remote build contexts are not supported: send the context as a tar"
                    + " (remote=" + remote + ")");
        }
        if (ex.queryBool("squash", false)) {
            throw new InvalidArgumentException("squash is only supported with experimental mode");
        }
        List<String> tags = new ArrayList<>();
        for (String t : ex.queryAll("t")) {
            if (!t.isEmpty()) {
                dev.wharf.base.ref.ImageRef.parse(t);
                tags.add(t);
            }
        }
        Map<String, String> args = json(ex.query("buildargs"), "buildargs", new TypeReference<>() { });
        Map<String, String> labels = json(ex.query("labels"), "labels", new TypeReference<>() { });
        List<String> cacheFrom = json(ex.query("cachefrom"), "cachefrom", new TypeReference<>() { });
        Map<String, Object> limits = new LinkedHashMap<>();
        putLong(ex, limits, "memory", "Memory");
        putLong(ex, limits, "memswap", "MemorySwap");
        putLong(ex, limits, "cpushares", "CpuShares");
        putLong(ex, limits, "cpuperiod", "CpuPeriod");
        putLong(ex, limits, "cpuquota", "CpuQuota");
        putString(ex, limits, "cpusetcpus", "CpusetCpus");
        putString(ex, limits, "cpusetmems", "CpusetMems");
        putString(ex, limits, "cgroupparent", "CgroupParent");
        List<Map<String, Object>> ulimits = json(ex.query("ulimits"), "ulimits", new TypeReference<>() { });
        if (ulimits != null && !ulimits.isEmpty()) {
            limits.put("Ulimits", ulimits);
        }
        List<String> hosts = new ArrayList<>();
        for (String h : ex.queryAll("extrahosts")) {
            for (String one : h.split(",")) {
                if (!one.isBlank()) {
                    hosts.add(one.strip());
                }
            }
        }
        Set<String> secrets = new LinkedHashSet<>();
        String s = ex.query("secrets");
        if (s != null) {
            for (String id : s.split(",")) {
                if (!id.isBlank()) {
                    secrets.add(id.strip());
                }
            }
        }
        return new BuildOptions(ex.query("dockerfile"), tags, args == null ? Map.of() : nullable(args), ex.query("target"),
                labels == null ? Map.of() : labels, ex.queryBool("nocache", false), ex.queryBool("pull", false),
                ex.queryBool("rm", true), ex.queryBool("forcerm", false), cacheFrom == null ? List.of() : cacheFrom,
                ex.query("networkmode"), ex.queryLong("shmsize"), limits, hosts, ex.query("platform"),
                registryConfig(ex.header("X-Registry-Config")), secrets);
    }

    private static Map<String, String> nullable(Map<String, String> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    private static void putLong(Exchange ex, Map<String, Object> m, String q, String key) {
        Long v = ex.queryLong(q);
        if (v != null && v != 0) {
            m.put(key, v);
        }
    }

    private static void putString(Exchange ex, Map<String, Object> m, String q, String key) {
        String v = ex.query(q);
        if (v != null && !v.isEmpty()) {
            m.put(key, v);
        }
    }

    private static <T> T json(String v, String name, TypeReference<T> type) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readValue(v, type);
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid " + name + ": " + v);
        }
    }

    /** {@code X-Registry-Config}: base64url JSON of registry host → auth object; lenient about alphabet and padding. */
    static Map<String, Map<String, Object>> registryConfig(String header) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        try {
            String b = header.strip().replace('+', '-').replace('/', '_');
            byte[] raw = Base64.getUrlDecoder().decode(b.replace("=", ""));
            Map<String, Map<String, Object>> m = Json.mapper().readValue(raw, new TypeReference<>() { });
            return m == null ? Map.of() : m;
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidArgumentException("invalid X-Registry-Config header");
        }
    }
}
