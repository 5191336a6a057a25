package dev.wharf.registry;

import dev.wharf.base.text.IpText;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8}, for {@code --insecure-registry}. */
record Cidr(byte[] network, int prefix) {

    static Cidr parse(String s) {
        int slash = s.indexOf('/');
        try {
            byte[] a = InetAddress.getByName(s.substring(0, slash)).getAddress();
            int p = Integer.parseInt(s.substring(slash + 1));
            if (p < 0 || p > a.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + s);
            }
            return new Cidr(a, p);
        } catch (UnknownHostException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a CIDR: " + s, e);
        }
    }

    /** The range as Go's {@code net.IPNet} prints it: the network address (host bits cleared), then the prefix. */
    String canonical() {
        byte[] n = network.clone();
        for (int i = prefix; i < n.length * 8; i++) {
            n[i / 8] &= (byte) ~(1 << (7 - (i % 8)));
        }
        try {
            return (n.length == 16 ? IpText.ipv6(n) : InetAddress.getByAddress(n).getHostAddress()) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean contains(InetAddress addr) {
        byte[] a = addr.getAddress();
        if (a.length != network.length) {
            return false;
        }
        for (int i = 0; i < prefix; i++) {
            int bit = 7 - (i % 8);
            if (((a[i / 8] >> bit) & 1) != ((network[i / 8] >> bit) & 1)) {
                return false;
            }
        }
        return true;
    }
}
