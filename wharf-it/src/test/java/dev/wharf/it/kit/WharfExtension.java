package dev.wharf.it.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/** The lifecycle behind {@link WharfIT}. */
public final class WharfExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(WharfExtension.class);

    /** Everything one test class shares. */
    record Fixture(WharfdProcess wharfd, DockerCli docker, WharfCli wharf, LeakCheck.Snapshot baseline) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        requireRoot();
        requireTools();
        WharfIT config = context.getRequiredTestClass().getAnnotation(WharfIT.class);
        WharfdProcess wharfd = WharfdProcess.start(config == null ? List.of() : List.of(config.daemonArgs()));
        try {
            TestImages.importBusybox(wharfd.api());
            LeakCheck.Snapshot baseline = LeakCheck.take(wharfd);
            context.getStore(NS).put(Fixture.class,
                    new Fixture(wharfd, new DockerCli(wharfd.socket()), new WharfCli(wharfd.socket()), baseline));
        } catch (RuntimeException | Error e) {
            System.err.println("=== wharfd log (" + wharfd.log() + ") ===\n" + wharfd.logTail(300));
            wharfd.close();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Fixture fixture = context.getStore(NS).remove(Fixture.class, Fixture.class);
        if (fixture == null) return;
        try {
            if (fixture.wharfd().isAlive()) LeakCheck.assertNoLeaks(fixture.baseline(), fixture.wharfd());
        } catch (AssertionError e) {
            System.err.println("=== wharfd log (" + fixture.wharfd().log() + ") ===\n" + fixture.wharfd().logTail(200));
            throw e;
        } finally {
            fixture.wharfd().close();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Fixture fixture = fixture(context);
        if (fixture == null) return;
        System.err.println("=== " + context.getDisplayName() + " failed; wharfd log (" + fixture.wharfd().log() + ") ===\n"
                + fixture.wharfd().logTail(300) + "\n=== end of wharfd log ===");
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> type = pc.getParameter().getType();
        return type == WharfdProcess.class || type == Api.class || type == DockerCli.class || type == WharfCli.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Fixture fixture = fixture(ec);
        if (fixture == null) throw new ParameterResolutionException("no wharfd for " + ec.getDisplayName());
        Class<?> type = pc.getParameter().getType();
        if (type == WharfdProcess.class) return fixture.wharfd();
        if (type == Api.class) return fixture.wharfd().api();
        if (type == DockerCli.class) return fixture.docker();
        return fixture.wharf();
    }

    private static Fixture fixture(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Fixture f = c.getStore(NS).get(Fixture.class, Fixture.class);
            if (f != null) return f;
        }
        return null;
    }

    /** Fails (does not skip) the suite when not root: these tests need runc, mounts and namespaces. */
    static void requireRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String euid = line.split("\\s+")[2];
                    if (!euid.equals("0")) {
                        throw new AssertionError("wharf-it must run as root (effective uid is " + euid
                                + "): it starts wharfd with runc, conmon and overlay mounts");
                    }
                    return;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status", e);
        }
        throw new AssertionError("no Uid line in /proc/self/status");
    }

    static void requireTools() {
        for (String tool : List.of("/usr/local/bin/docker", "/bin/busybox")) {
            if (!Files.isExecutable(Path.of(tool))) throw new AssertionError(tool + " is missing");
        }
        Path wharfd = Repo.root().resolve("bin/wharfd");
        if (!Files.isExecutable(wharfd)) throw new AssertionError(wharfd + " is missing");
    }
}
