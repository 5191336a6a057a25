package dev.wharf.engine.network;

import dev.wharf.base.error.InvalidArgumentException;

/** An IPv4 prefix, {@code a.b.c.d/n}, normalised to its network address. */
record Subnet(int base, int prefix) {

    static Subnet parse(String cidr) {
        int prefix = prefixLength(cidr, 32);
        return new Subnet(ip(cidr.substring(0, cidr.indexOf('/'))) & mask(prefix), prefix);
    }

    /** The {@code /n} of a CIDR text, from 0 to {@code max}; 400 when missing or out of range. */
    static int prefixLength(String cidr, int max) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        int prefix = -1;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
        }
        if (prefix < 0 || prefix > max) {
            throw new InvalidArgumentException("invalid CIDR address: " + cidr);
        }
        return prefix;
    }

    /** Parses a dotted IPv4 address; 400 for anything else. */
    static int ip(String s) {
        String[] p = s == null ? new String[0] : s.split("\\.", -1);
        if (p.length != 4) {
            throw new InvalidArgumentException("invalid IPv4 address: " + s);
        }
        int v = 0;
        for (String part : p) {
            int b;
            try {
                b = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("invalid IPv4 address: " + s);
            }
            if (b < 0 || b > 255 || part.isEmpty() || part.length() > 3) {
                throw new InvalidArgumentException("invalid IPv4 address: " + s);
            }
            v = v << 8 | b;
        }
        return v;
    }

    static String text(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 255) + "." + (ip >>> 8 & 255) + "." + (ip & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    long size() {
        return 1L << (32 - prefix);
    }

    int last() {
        return base | ~mask(prefix);
    }

    boolean contains(int ip) {
        return (ip & mask(prefix)) == base;
    }

    boolean contains(Subnet other) {
        return other.prefix >= prefix && contains(other.base);
    }

    boolean overlaps(Subnet other) {
        return contains(other.base) || other.contains(base);
    }

    /** The address {@code n} after the network address. */
    int at(long n) {
        return (int) (Integer.toUnsignedLong(base) + n);
    }

    @Override
    public String toString() {
        return text(base) + "/" + prefix;
    }
}
