package dev.wharf.registry;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.image.Descriptor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A platform {@code os/architecture[/variant]}, normalised as containerd's platforms package does
 * ({@code x86_64} is {@code amd64}, {@code aarch64} is {@code arm64}, {@code arm64} means variant
 * {@code v8}, {@code arm} variant {@code v7}). The default is {@code linux/amd64}.
 */
public record Platform(String os, String architecture, String variant) {

    public static final Platform DEFAULT = new Platform("linux", "amd64", null);

    public Platform {
        os = os == null || os.isEmpty() ? "linux" : os.toLowerCase(Locale.ROOT);
        architecture = normaliseArch(architecture);
        variant = normaliseVariant(architecture, variant);
    }

    /** Parses {@code --platform}: {@code linux}, {@code linux/arm64}, {@code linux/arm/v6}; null or empty means the default. */
    public static Platform parse(String s) {
        if (s == null || s.isBlank()) {
            return DEFAULT;
        }
        String[] p = s.strip().split("/");
        if (p.length > 3 || p[0].isEmpty()) {
            throw new InvalidArgumentException("\"" + s + "\": unknown operating system or architecture: invalid argument");
        }
        if (p.length == 1) {
            if (p[0].equals("linux")) {
                return DEFAULT;
            }
            throw new InvalidArgumentException("\"" + s + "\": unknown operating system or architecture: invalid argument");
        }
        return new Platform(p[0], p[1], p.length == 3 ? p[2] : null);
    }

    private static String normaliseArch(String a) {
        String arch = a == null || a.isEmpty() ? "amd64" : a.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "armhf" -> "arm";
            case "i386", "i686" -> "386";
            default -> arch;
        };
    }

    private static String normaliseVariant(String arch, String v) {
        String variant = v == null || v.isEmpty() ? null : v.toLowerCase(Locale.ROOT);
        if (arch.equals("arm64") && (variant == null || variant.equals("8"))) {
            return "v8";
        }
        if (arch.equals("arm") && variant == null) {
            return "v7";
        }
        if (arch.equals("arm") && variant.matches("[5-8]")) {
            return "v" + variant;
        }
        return variant;
    }

    /** Whether an index entry's platform is this one (an entry without variant matches any). */
    public boolean matches(Descriptor.Platform p) {
        if (p == null) {
            return false;
        }
        Platform other = new Platform(p.os(), p.architecture(), p.variant());
        return other.os.equals(os) && other.architecture.equals(architecture)
                && (variant == null || other.variant == null || variant.equals(other.variant));
    }

    /**
     * The index entry to pull: the first that matches exactly, else the first matching without a
     * variant; attestation manifests ({@code unknown/unknown}) never match.
     */
    public Optional<Descriptor> choose(List<Descriptor> manifests) {
        Descriptor loose = null;
        for (Descriptor d : manifests) {
            if (!matches(d.platform())) {
                continue;
            }
            Platform p = new Platform(d.platform().os(), d.platform().architecture(), d.platform().variant());
            if (java.util.Objects.equals(p.variant, variant)) {
                return Optional.of(d);
            }
            if (loose == null) {
                loose = d;
            }
        }
        return Optional.ofNullable(loose);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
