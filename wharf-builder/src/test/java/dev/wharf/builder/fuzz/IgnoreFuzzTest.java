package dev.wharf.builder.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.builder.ignore.IgnoreMatcher;

/**
 * Jazzer: any .dockerignore text and path either matches or not, or the file is an
 * {@link InvalidArgumentException}; never another exception or a hang (patterns are regular
 * expressions: a pattern must not make matching blow up).
 */
class IgnoreFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void match(FuzzedDataProvider data) {
        String path = data.consumeString(200);
        String file = data.consumeRemainingAsString();
        try {
            IgnoreMatcher m = IgnoreMatcher.parse(file);
            m.matches(path);
            m.canSkipDir(path);
        } catch (InvalidArgumentException expected) {
            // a clear error for a bad pattern is the contract
        }
    }
}
