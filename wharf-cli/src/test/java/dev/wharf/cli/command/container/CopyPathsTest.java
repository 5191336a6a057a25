package dev.wharf.cli.command.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class CopyPathsTest {

    private static CopyPaths.Info dir(String p, boolean exists) {
        return new CopyPaths.Info(p, exists, exists, "");
    }

    private static CopyPaths.Info file(String p, boolean exists) {
        return new CopyPaths.Info(p, exists, false, "");
    }

    @Test
    void dirIntoExistingDirNests_intoMissingPathRenames() {
        assertThat(CopyPaths.prepare(new CopyPaths.Info("/a/src", true, true, ""), dir("/tmp", true)))
                .isEqualTo(new CopyPaths.Plan("/tmp", "src", "src"));
        CopyPaths.Plan p = CopyPaths.prepare(new CopyPaths.Info("/a/src", true, true, ""), file("/tmp/new", false));
        assertThat(p).isEqualTo(new CopyPaths.Plan("/tmp", "src", "new"));
        assertThat(p.renames()).isTrue();
    }

    @Test
    void fileOntoDirGoesIn_ontoFileReplaces_dirOntoFileFails() {
        assertThat(CopyPaths.prepare(file("/a/f", true), dir("/d", true))).isEqualTo(new CopyPaths.Plan("/d", "f", "f"));
        assertThat(CopyPaths.prepare(file("/a/f", true), file("/d/g", true))).isEqualTo(new CopyPaths.Plan("/d", "f", "g"));
        assertThatThrownBy(() -> CopyPaths.prepare(dir("/a/s", true), file("/d/g", true)))
                .hasMessage("cannot copy directory");
        assertThatThrownBy(() -> CopyPaths.prepare(file("/a/f", true), file("/d/missing/", false)))
                .hasMessage("no such directory");
    }

    @Test
    void goPathHelpers_andRebaseNames() {
        assertThat(CopyPaths.split("/a/b/.")).containsExactly("/a/b", ".");
        assertThat(CopyPaths.split("/a/b/")).containsExactly("/a", "b");
        assertThat(CopyPaths.clean("a/../../b/./c//")).isEqualTo("../b/c");
        assertThat(CopyPaths.joinLink("/etc/x/link", "../y")).isEqualTo("/etc/y");
        CopyPaths.Info r = CopyPaths.rebase("/data/link/", "/srv/real", true, true);
        assertThat(r.path()).isEqualTo("/srv/real/");
        assertThat(r.rebaseName()).isEqualTo("link");
        assertThat(CopyPaths.rebase("/data/real", "/srv/real", true, false).rebaseName()).isEmpty();
    }

    @Test
    void tarRebase_renamesTopEntryAndHardlinks_only() throws Exception {
        assertThat(TarRebase.rename("src/a/b", "src", "dst")).isEqualTo("dst/a/b");
        assertThat(TarRebase.rename("./src/", "src", "dst")).isEqualTo("dst/");
        assertThat(TarRebase.rename("srcx/a", "src", "dst")).isEqualTo("srcx/a");
        assertThat(TarRebase.rename("a", ".", "dst")).isEqualTo("dst/a");

        ByteArrayOutputStream in = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(in)) {
            TarArchiveEntry d = new TarArchiveEntry("src/");
            t.putArchiveEntry(d);
            t.closeArchiveEntry();
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry f = new TarArchiveEntry("src/f");
            f.setSize(data.length);
            f.setMode(0100750);
            t.putArchiveEntry(f);
            t.write(data);
            t.closeArchiveEntry();
            TarArchiveEntry h = new TarArchiveEntry("src/h", TarArchiveEntry.LF_LINK);
            h.setLinkName("src/f");
            t.putArchiveEntry(h);
            t.closeArchiveEntry();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarRebase.rebase(new ByteArrayInputStream(in.toByteArray()), out, "src", "dst");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                names.add(e.getName() + (e.isLink() ? "->" + e.getLinkName() : ""));
                if (e.getName().equals("dst/f")) {
                    assertThat(new String(t.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
                    assertThat(e.getMode() & 07777).isEqualTo(0750);
                }
            }
        }
        assertThat(names).containsExactly("dst/", "dst/f", "dst/h->dst/f");
    }
}
