package dev.wharf.runtime.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Linux security modules this host runs, as far as containers are concerned. */
public record HostSecurity(boolean appArmor, boolean selinux) {

    private static volatile HostSecurity host;

    /** This host's modules, read once. */
    public static HostSecurity host() {
        HostSecurity h = host;
        if (h == null) {
            h = new HostSecurity(appArmorEnabled(), Files.exists(Path.of("/sys/fs/selinux/enforce")));
            host = h;
        }
        return h;
    }

    private static boolean appArmorEnabled() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).strip().startsWith("Y");
        } catch (IOException e) {
            return false;
        }
    }
}
