package dev.wharf.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TabWriterTest {

    @Test
    void render_padsToWidestPlusThreeWithMinimumTen() {
        TabWriter tw = new TabWriter();
        tw.add("CONTAINER ID\tIMAGE\tNAMES\n");
        tw.add("abc\tbusybox:latest\tweb\n");
        assertThat(tw.render()).isEqualTo(
                "CONTAINER ID   IMAGE            NAMES\n"
                + "abc            busybox:latest   web\n");
    }

    @Test
    void render_countsRunesNotChars() {
        TabWriter tw = new TabWriter();
        tw.add("A\tB\n\"abcdefghijklmnopqrs…\"\tx\n");
        assertThat(tw.render().split("\n")[0]).isEqualTo("A" + " ".repeat(24) + "B");
    }

    @Test
    void render_emptyColumnStillTakesMinimumWidth() {
        TabWriter tw = new TabWriter();
        tw.add("PORTS\tNAMES\n\tweb\n");
        assertThat(tw.render()).isEqualTo("PORTS     NAMES\n          web\n");
    }
}
