package dev.wharf.compose.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Duration;

/** Go's duration text ({@code 1m30s}, {@code 500ms}, {@code 2h}), which compose files use. */
public final class GoDuration {

    private GoDuration() {
    }

    /** Parses {@code 1m30s}; a bare number is seconds, as compose-go reads it. Null if not a duration. */
    public static Duration parse(String s) {
        String t = s.strip();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Long nanos = dev.wharf.base.time.GoDuration.nanosOrNull(t);
        return nanos == null ? null : Duration.ofNanos(nanos);
    }

    /** Go's {@code Duration.String()}: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration d) {
        long n = d.toNanos();
        if (n == 0) {
            return "0s";
        }
        if (n < 1_000_000_000L) {
            if (n % 1_000_000 == 0) {
                return n / 1_000_000 + "ms";
            }
            if (n % 1_000 == 0) {
                return n / 1_000 + "µs";
            }
            return n + "ns";
        }
        StringBuilder sb = new StringBuilder();
        long h = n / 3_600_000_000_000L;
        n %= 3_600_000_000_000L;
        long m = n / 60_000_000_000L;
        n %= 60_000_000_000L;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        long s = n / 1_000_000_000L;
        long frac = n % 1_000_000_000L;
        sb.append(s);
        if (frac != 0) {
            String f = String.format("%09d", frac).replaceAll("0+$", "");
            sb.append('.').append(f);
        }
        return sb.append('s').toString();
    }

    /** Writes a Duration as Go's text. */
    public static final class Writer extends StdSerializer<Duration> {
        public Writer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }
}
