package dev.wharf.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.common.ProgressMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressStreamTest {

    @Test
    void humanSize_isGoUnits() {
        assertThat(ProgressStream.humanSize(32768)).isEqualTo("32.77kB");
        assertThat(ProgressStream.humanSize(1028117)).isEqualTo("1.028MB");
        assertThat(ProgressStream.humanSize(0)).isEqualTo("0B");
        assertThat(ProgressStream.humanSize(999)).isEqualTo("999B");
    }

    @Test
    void bar_isMobysAtAWideTerminal() {
        assertThat(ProgressStream.bar(32768, 1028117)).isEqualTo("[=>" + " ".repeat(49) + "]  32.77kB/1.028MB");
        assertThat(ProgressStream.bar(10, 10)).startsWith("[" + "=".repeat(50) + ">]");
    }

    @Test
    void byteProgress_isThrottled_butTheEndAlwaysGoesOut() {
        List<ProgressMessage> got = new ArrayList<>();
        ProgressStream ps = new ProgressStream(got::add);
        for (int i = 1; i <= 100; i++) {
            ps.bytes("abc", "Downloading", i, 100, i == 100);
        }
        assertThat(got).hasSizeLessThan(10);
        assertThat(got.getLast().progressDetail()).containsEntry("current", 100L);
    }

    @Test
    void aFailingListener_doesNotStopTheOperation() {
        ProgressStream ps = new ProgressStream(m -> {
            throw new IllegalStateException("client gone");
        });
        ps.status("one");
        ps.layer("id", "two");
    }
}
