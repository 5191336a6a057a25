package dev.wharf.engine.network;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.text.IpText;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;

/** An IPv6 prefix, normalised to its network address, written as RFC 5952 says ({@code fd00:1::/64}). */
record Subnet6(BigInteger base, int prefix) {

    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    static Subnet6 parse(String cidr) {
        int prefix = Subnet.prefixLength(cidr, 128);
        return new Subnet6(ip(cidr.substring(0, cidr.indexOf('/'))).and(mask(prefix)), prefix);
    }

    /** A unique local /64 with a random global ID (RFC 4193), as Docker picks when none is given. */
    static Subnet6 randomUla() {
        byte[] b = new byte[16];
        byte[] id = new byte[5];
        new SecureRandom().nextBytes(id);
        b[0] = (byte) 0xfd;
        System.arraycopy(id, 0, b, 1, 5);
        return new Subnet6(new BigInteger(1, b), 64);
    }

    /** Parses an IPv6 address (no names, no zone); 400 for anything else. */
    static BigInteger ip(String s) {
        if (s == null || !s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            throw new InvalidArgumentException("invalid IPv6 address: " + s);
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            if (b.length != 16) {
                throw new InvalidArgumentException("invalid IPv6 address: " + s);
            }
            return new BigInteger(1, b);
        } catch (UnknownHostException e) {
            throw new InvalidArgumentException("invalid IPv6 address: " + s);
        }
    }

    /** The canonical text (RFC 5952, as Docker writes it). */
    static String text(BigInteger ip) {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) ip.shiftRight(8 * (15 - i)).intValue();
        }
        return IpText.ipv6(b);
    }

    static String canonical(String ip) {
        return text(ip(ip));
    }

    static BigInteger mask(int prefix) {
        return ALL.shiftRight(prefix).xor(ALL);
    }

    BigInteger last() {
        return base.or(ALL.shiftRight(prefix));
    }

    boolean contains(BigInteger ip) {
        return ip.and(mask(prefix)).equals(base);
    }

    boolean overlaps(Subnet6 other) {
        return contains(other.base) || other.contains(base);
    }

    /** The address {@code n} after the network address, or null past the end. */
    BigInteger at(long n) {
        BigInteger ip = base.add(BigInteger.valueOf(n));
        return contains(ip) ? ip : null;
    }

    @Override
    public String toString() {
        return text(base) + "/" + prefix;
    }
}
