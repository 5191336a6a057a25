package dev.wharf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code POST /build} as {@code docker build} uses it (classic builder, the context as a tar):
 * an uncached 5-step build, the fully cached rebuild, a rebuild after one source file changed in a
 * 2,000-file context, and the context upload and checksum rate (MB/s) of a 256 MB context. Medians
 * of several runs; against wharfd, then Docker at /var/run/docker.sock when it answers.
 *   bench/build.sh                        # its own wharfd on temporary roots
 *   bench/build.sh --host unix:///PATH    # a wharfd already running
 */
public final class BuildBench {

    private static final String BASE = "wharf-bench/busybox:latest";

    private BuildBench() {
    }

    public static void main(String[] args) throws Exception {
        String host = args.length >= 2 && args[0].equals("--host") ? args[1] : null;
        Anchored.run(host, -1, BuildBench::measure);
    }

    private static void measure(String who, UnixHttp api, long pid) throws Exception {
        System.out.println("== " + who);
        Map<String, byte[]> small = new LinkedHashMap<>();
        small.put("Dockerfile", ("FROM " + BASE + "\nCOPY app.txt /app/app.txt\nRUN echo built > /built\n"
                + "ENV MODE=bench\nRUN cat /app/app.txt /built > /out\n").getBytes(StandardCharsets.UTF_8));
        small.put("app.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        byte[] smallTar = tar(small);
        build(api, smallTar, "");
        long[] uncached = new long[5];
        for (int i = 0; i < uncached.length; i++) {
            uncached[i] = build(api, smallTar, "&nocache=1");
        }
        RunRmBench.report(who + " uncached 5-step build (2 RUN, COPY, ENV)", uncached, true);
        long[] cached = new long[20];
        for (int i = 0; i < cached.length; i++) {
            cached[i] = build(api, smallTar, "");
        }
        RunRmBench.report(who + " fully cached rebuild, 5 steps", cached, true);

        Map<String, byte[]> big = new LinkedHashMap<>();
        big.put("Dockerfile", ("FROM " + BASE + "\nWORKDIR /src\nCOPY . .\nRUN find . -type f | wc -l\n")
                .getBytes(StandardCharsets.UTF_8));
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[2048];
            rnd.nextBytes(b);
            big.put("src/pkg" + (i / 100) + "/file" + i + ".txt", b);
        }
        build(api, tar(big), "");
        long[] changed = new long[5];
        long[] unchanged = new long[5];
        for (int i = 0; i < changed.length; i++) {
            unchanged[i] = build(api, tar(big), "");
            big.put("src/pkg7/file700.txt", ("changed " + i + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
            changed[i] = build(api, tar(big), "");
        }
        RunRmBench.report(who + " 2,000-file context, nothing changed", unchanged, true);
        RunRmBench.report(who + " 2,000-file context, one file changed (COPY + RUN again)", changed, true);

        Map<String, byte[]> heavy = new LinkedHashMap<>();
        heavy.put("Dockerfile", ("FROM " + BASE + "\nLABEL ctx=big\n").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 32; i++) {
            byte[] b = new byte[8 << 20];
            rnd.nextBytes(b);
            heavy.put("blob" + i, b);
        }
        byte[] heavyTar = tar(heavy);
        build(api, heavyTar, "");
        List<Double> rates = new ArrayList<>();
        long[] ms = new long[3];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = build(api, heavyTar, "");
            rates.add(heavyTar.length / 1e6 / (ms[i] / 1000.0));
        }
        rates.sort(Double::compare);
        System.out.printf("%s context upload + unpack + sha256 of %d MB: median %.0f MB/s (n=%d)%n", who,
                heavyTar.length / 1_000_000, rates.get(rates.size() / 2), rates.size());
    }

    /** One build; returns its wall time in milliseconds, failing on an error message. */
    private static long build(UnixHttp api, byte[] tar, String extra) throws IOException {
        long t0 = System.nanoTime();
        UnixHttp.Response r = api.send("POST", "/build?t=wharf-bench/built:1" + extra, "application/x-tar", tar);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.status() != 200 || r.text().contains("\"errorDetail\"")) {
            throw new IllegalStateException("build failed: " + r);
        }
        return ms;
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0100644);
                e.setModTime(1_700_000_000_000L);
                t.putArchiveEntry(e);
                t.write(f.getValue());
                t.closeArchiveEntry();
            }
            t.finish();
        }
        return out.toByteArray();
    }
}
