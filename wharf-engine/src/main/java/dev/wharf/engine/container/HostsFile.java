package dev.wharf.engine.container;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits a running container's hosts file when it joins or leaves a network, as Docker does: a line
 * {@code IP<TAB>hostname} per network. The file is bind-mounted into the container, so it is
 * rewritten in place (same inode), never replaced by a rename.
 */
final class HostsFile {

    private HostsFile() {
    }

    static void add(Path file, String ip, String hostname) throws IOException {
        List<String> lines = read(file);
        String line = ip + "\t" + hostname;
        if (!lines.contains(line)) {
            lines.add(line);
            write(file, lines);
        }
    }

    static void remove(Path file, String ip) throws IOException {
        List<String> lines = read(file);
        if (lines.removeIf(l -> l.startsWith(ip + "\t"))) {
            write(file, lines);
        }
    }

    private static List<String> read(Path file) throws IOException {
        return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
    }

    private static void write(Path file, List<String> lines) throws IOException {
        byte[] b = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0);
            f.write(b);
        }
    }
}
