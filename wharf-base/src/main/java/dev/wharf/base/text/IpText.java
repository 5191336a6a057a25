package dev.wharf.base.text;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * IP addresses as Docker writes them (Go's {@code net.IP.String()}, RFC 5952 for IPv6): dotted
 * IPv4; IPv6 in lower case without leading zeros, the longest run of two or more zero groups
 * (the first of equals) written {@code ::}.
 */
public final class IpText {

    private IpText() {
    }

    public static String of(InetAddress a) {
        return a instanceof Inet4Address ? a.getHostAddress() : ipv6(a.getAddress());
    }

    /** The text of a 16-byte IPv6 address. */
    public static String ipv6(byte[] b) {
        if (b.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + b.length);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
