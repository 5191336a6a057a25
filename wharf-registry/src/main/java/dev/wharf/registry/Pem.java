package dev.wharf.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM certificates and private keys (PKCS#8, or PKCS#1 RSA as older openssl writes them). */
final class Pem {

    private Pem() {
    }

    static List<X509Certificate> certificates(Path p) throws IOException, GeneralSecurityException {
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : f.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(p)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    static PrivateKey privateKey(Path p) throws IOException, GeneralSecurityException {
        String text = Files.readString(p);
        if (text.contains("BEGIN PRIVATE KEY")) {
            byte[] der = block(text, "PRIVATE KEY");
            for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            throw new GeneralSecurityException("unsupported private key in " + p);
        }
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    wrapPkcs1(block(text, "RSA PRIVATE KEY"))));
        }
        throw new GeneralSecurityException("no PEM private key (PKCS#8 or RSA) in " + p);
    }

    private static byte[] block(String text, String type) throws GeneralSecurityException {
        String begin = "-----BEGIN " + type + "-----";
        int s = text.indexOf(begin);
        int e = text.indexOf("-----END " + type + "-----");
        if (s < 0 || e < 0) {
            throw new GeneralSecurityException("no " + type + " block");
        }
        return Base64.getMimeDecoder().decode(text.substring(s + begin.length(), e));
    }

    /** A PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algId, 0, body, version.length, algId.length);
        System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len;
        if (n < 128) {
            len = new byte[] {(byte) n};
        } else if (n < 256) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 65536) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }
}
