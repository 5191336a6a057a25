package dev.wharf.engine.container;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of the engine against the fake runtime: a fresh {@link EngineFixture} in a temporary directory per test. */
abstract class EngineTest {

    @TempDir
    Path tmp;
    EngineFixture f;

    @BeforeEach
    void openEngine() throws Exception {
        f = new EngineFixture(tmp);
    }

    /** Runs after a subclass's own {@code @AfterEach} methods. */
    @AfterEach
    void closeEngine() {
        f.close();
    }
}
