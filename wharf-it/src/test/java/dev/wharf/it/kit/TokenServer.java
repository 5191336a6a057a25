package dev.wharf.it.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Docker token server (the distribution "token" auth spec): {@code GET /token?service=&scope=}
 * with Basic credentials answers an RS256 JWT granting the requested repository actions to
 * {@link LocalRegistry#USER}, signed by a key whose self-signed certificate (in the {@code x5c}
 * header) is the registry's {@code rootcertbundle}. Wrong credentials get a 401. Counts requests.
 */
public final class TokenServer implements AutoCloseable {

    static final String SERVICE = "wharf-test-registry";
    static final String ISSUER = "wharf-test-issuer";

    private final HttpServer server;
    private final Path dir;
    private final PrivateKey key;
    private final String x5c;
    private final AtomicInteger issued = new AtomicInteger();

    private TokenServer(HttpServer server, Path dir, PrivateKey key, String x5c) {
        this.server = server;
        this.dir = dir;
        this.key = key;
        this.x5c = x5c;
    }

    public static TokenServer start() {
        try {
            Path dir = TempPaths.dir("wharf-it-token-");
            TestCa.openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=wharf-token-signer", "-keyout", "token.key", "-out", "token.crt");
            String pem = Files.readString(dir.resolve("token.key"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] cert = CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(dir.resolve("token.crt"))).getEncoded();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            TokenServer t = new TokenServer(server, dir, key, Base64.getEncoder().encodeToString(cert));
            server.createContext("/token", ex -> {
                try (ex) {
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    String want = "Basic " + Base64.getEncoder().encodeToString((LocalRegistry.USER + ":"
                            + LocalRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
                    if (!want.equals(auth)) {
                        byte[] b = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(401, b.length);
                        ex.getResponseBody().write(b);
                        return;
                    }
                    List<String> scopes = new ArrayList<>();
                    String q = ex.getRequestURI().getRawQuery();
                    for (String kv : q == null ? new String[0] : q.split("&")) {
                        if (kv.startsWith("scope=")) {
                            scopes.add(URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
                        }
                    }
                    String jwt = t.jwt(scopes);
                    t.issued.incrementAndGet();
                    byte[] b = ("{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":300}")
                            .getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                }
            });
            server.start();
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwt(List<String> scopes) {
        try {
            ObjectNode h = Api.JSON.createObjectNode();
            h.put("typ", "JWT");
            h.put("alg", "RS256");
            h.putArray("x5c").add(x5c);
            long now = System.currentTimeMillis() / 1000;
            ObjectNode c = Api.JSON.createObjectNode();
            c.put("iss", ISSUER);
            c.put("sub", LocalRegistry.USER);
            c.put("aud", SERVICE);
            c.put("exp", now + 300);
            c.put("nbf", now - 10);
            c.put("iat", now);
            c.put("jti", UUID.randomUUID().toString());
            ArrayNode access = c.putArray("access");
            for (String s : scopes) {
                String[] p = s.split(":");
                if (p.length == 3) {
                    ObjectNode a = access.addObject();
                    a.put("type", p[0]);
                    a.put("name", p[1]);
                    ArrayNode actions = a.putArray("actions");
                    for (String act : p[2].split(",")) {
                        actions.add(act);
                    }
                }
            }
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signing = b64.encodeToString(Api.JSON.writeValueAsBytes(h)) + "."
                    + b64.encodeToString(Api.JSON.writeValueAsBytes(c));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(signing.getBytes(StandardCharsets.US_ASCII));
            return signing + "." + b64.encodeToString(sig.sign());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return dir.resolve("token.crt");
    }

    /** Tokens handed out so far. */
    public int issued() {
        return issued.get();
    }

    @Override
    public void close() {
        server.stop(0);
        WharfdProcess.exec(List.of("rm", "-rf", dir.toString()));
    }
}
