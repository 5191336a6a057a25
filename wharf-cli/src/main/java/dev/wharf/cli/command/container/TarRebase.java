package dev.wharf.cli.command.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * moby's {@code RebaseArchiveEntries}: renames the top entry of a tar (and everything under it,
 * hardlink targets included) from one base name to another, as a copy to a new name needs. Entries
 * are otherwise copied as they are (modes, owners, times, xattrs and other PAX records).
 */
final class TarRebase {

    private TarRebase() {
    }

    /** The new name of {@code name}, or the name itself when it is not under {@code from}. */
    static String rename(String name, String from, String to) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (from.equals(".") || from.equals("/")) {
            if (n.isEmpty() || n.equals(".") || n.equals("./")) {
                return to + "/";
            }
            return to + "/" + n;
        }
        if (n.equals(from) || n.equals(from + "/")) {
            return to + n.substring(from.length());
        }
        if (n.startsWith(from + "/")) {
            return to + n.substring(from.length());
        }
        return name;
    }

    /** Copies the tar {@code in} to {@code out} with entries renamed; the tar is finished, {@code out} left open. */
    static void rebase(InputStream in, OutputStream out, String from, String to) throws IOException {
        TarArchiveInputStream tin = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        TarArchiveOutputStream tout = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tout.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tout.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tout.setAddPaxHeadersForNonAsciiNames(true);
        for (TarArchiveEntry e = tin.getNextEntry(); e != null; e = tin.getNextEntry()) {
            e.setName(rename(e.getName(), from, to));
            if (e.isLink()) {
                e.setLinkName(rename(e.getLinkName(), from, to));
            }
            tout.putArchiveEntry(e);
            if (e.isFile() && !e.isLink()) {
                tin.transferTo(tout);
            }
            tout.closeArchiveEntry();
        }
        tout.finish();
        out.flush();
    }

    /** {@code in} rebased, as a stream (a virtual thread does the copying); failures surface on read. */
    static InputStream rebased(InputStream in, String from, String to) throws IOException {
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        return fromWriter(pipeIn, pipeOut, out -> rebase(in, out, from, to));
    }

    /** Something that writes a stream. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** The bytes {@code writer} writes, read through a pipe fed by a virtual thread. */
    static InputStream produced(Writer writer) throws IOException {
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        return fromWriter(pipeIn, pipeOut, writer);
    }

    private static InputStream fromWriter(PipedInputStream pipeIn, PipedOutputStream pipeOut, Writer writer) {
        IOException[] failure = new IOException[1];
        Thread t = Thread.ofVirtual().name("wharf-cp-tar").start(() -> {
            try (pipeOut) {
                writer.write(pipeOut);
            } catch (IOException e) {
                failure[0] = e;
            } catch (RuntimeException e) {
                failure[0] = new IOException(e.getMessage(), e);
            }
        });
        return new java.io.FilterInputStream(pipeIn) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    check();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    check();
                }
                return n;
            }

            private void check() throws IOException {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
        };
    }
}
