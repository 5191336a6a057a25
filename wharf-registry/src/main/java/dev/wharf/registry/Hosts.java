package dev.wharf.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Per registry host: whether it is insecure, which scheme answers, and one HTTP/1.1 client with
 * its TLS settings (system trust store plus {@code certs.d/<host>/} CAs and client certificate),
 * proxies taken from the environment ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY};
 * loopback never goes through a proxy).
 */
final class Hosts {

    static {
        // The JDK client moves bodies in buffers of this size (16 KiB by default): each buffer is a
        // task handed between threads, which made receiving a blob cost ~6 ms of CPU per MB. Read
        // once, when the client's classes load, so it is set before the first client is built.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(256 << 10));
        }
    }

    private final RegistryOptions options;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<String, String> schemes = new ConcurrentHashMap<>();
    private final ProxySelector proxies;

    Hosts(RegistryOptions options, Map<String, String> env) {
        this.options = options;
        this.proxies = EnvProxies.from(env);
    }

    /** The host requests go to: Docker Hub's registry for {@code docker.io}. */
    static String apiHost(String domain) {
        return domain.equals(Reference.DOCKER_HUB) ? "registry-1.docker.io" : domain;
    }

    /** {@code https}, or {@code http} once an insecure host turned out to speak plain HTTP. */
    String scheme(String host) {
        return schemes.getOrDefault(host, "https");
    }

    /** Remembers that an insecure host answers plain HTTP. */
    void useHttp(String host) {
        schemes.put(host, "http");
    }

    URI base(String host) {
        return URI.create(scheme(host) + "://" + host);
    }

    /** Whether TLS to {@code host} is not verified and plain HTTP is allowed. */
    boolean insecure(String host) {
        if (Files.isRegularFile(certsDir(host).resolve("ca.crt"))) {
            return false;
        }
        String name = hostOnly(host);
        for (String entry : options.insecure()) {
            if (entry.equals(host) || entry.equals(name)) {
                return true;
            }
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(name)) {
                if (a.isLoopbackAddress()) {
                    return true;
                }
                for (String entry : options.insecure()) {
                    if (entry.contains("/") && Cidr.parse(entry).contains(a)) {
                        return true;
                    }
                }
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    HttpClient client(String host) {
        return clients.computeIfAbsent(host, this::build);
    }

    /** The client for a URI a registry pointed at (a token realm, a redirect). */
    HttpClient clientFor(URI uri) {
        return client(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
    }

    private HttpClient build(String host) {
        try {
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .proxy(proxies)
                    .sslContext(sslContext(host))
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new RegistryException(RegistryException.Kind.TLS, -1,
                    "cannot load the TLS settings of " + host + " from " + certsDir(host) + ": " + e.getMessage(), e);
        }
    }

    Path certsDir(String host) {
        return options.certsDir().resolve(host.replace("[", "").replace("]", ""));
    }

    private SSLContext sslContext(String host) throws IOException, GeneralSecurityException {
        Path dir = certsDir(host);
        List<X509Certificate> cas = new ArrayList<>();
        KeyManager[] keys = null;
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".crt")) {
                        cas.addAll(Pem.certificates(p));
                    } else if (n.endsWith(".cert")) {
                        Path key = dir.resolve(n.substring(0, n.length() - 5) + ".key");
                        if (!Files.isRegularFile(key)) {
                            throw new IOException("missing key " + key.getFileName() + " for client certificate " + n);
                        }
                        KeyStore ks = KeyStore.getInstance("PKCS12");
                        ks.load(null, null);
                        ks.setKeyEntry("client", Pem.privateKey(key), new char[0],
                                Pem.certificates(p).toArray(new X509Certificate[0]));
                        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                        kmf.init(ks, new char[0]);
                        keys = kmf.getKeyManagers();
                    }
                }
            }
        }
        TrustManager[] trust;
        if (insecure(host)) {
            trust = new TrustManager[] {new TrustAll()};
        } else {
            trust = new TrustManager[] {new Trust(cas)};
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, trust, new SecureRandom());
        return ctx;
    }

    private static String hostOnly(String host) {
        if (host.startsWith("[")) {
            return host.substring(1, host.indexOf(']'));
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The system's trust store plus the registry's own CAs. */
    private static final class Trust implements X509TrustManager {
        private final X509TrustManager system;
        private final X509TrustManager extra;

        Trust(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
            this.system = manager(null);
            if (cas.isEmpty()) {
                this.extra = null;
            } else {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    ks.setCertificateEntry("ca" + i, cas.get(i));
                }
                this.extra = manager(ks);
            }
        }

        private static X509TrustManager manager(KeyStore ks) throws GeneralSecurityException {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            for (TrustManager t : f.getTrustManagers()) {
                if (t instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new GeneralSecurityException("no X509 trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String auth) throws java.security.cert.CertificateException {
            system.checkClientTrusted(chain, auth);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String auth) throws java.security.cert.CertificateException {
            if (extra != null) {
                try {
                    extra.checkServerTrusted(chain, auth);
                    return;
                } catch (java.security.cert.CertificateException e) {
                    // try the system's CAs
                }
            }
            system.checkServerTrusted(chain, auth);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }

    /** An insecure registry's certificate is not checked (Docker's InsecureSkipVerify). */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String auth) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String auth) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Proxies as Go's {@code ProxyFromEnvironment} reads them. */
    static final class EnvProxies extends ProxySelector {
        private final Proxy http;
        private final Proxy https;
        private final List<String> noProxy;

        private EnvProxies(Proxy http, Proxy https, List<String> noProxy) {
            this.http = http;
            this.https = https;
            this.noProxy = noProxy;
        }

        static ProxySelector from(Map<String, String> env) {
            Proxy http = proxy(first(env, "HTTP_PROXY", "http_proxy"));
            Proxy https = proxy(first(env, "HTTPS_PROXY", "https_proxy"));
            String no = first(env, "NO_PROXY", "no_proxy");
            List<String> noProxy = no == null ? List.of()
                    : List.of(no.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            return new EnvProxies(http, https, noProxy);
        }

        private static String first(Map<String, String> env, String a, String b) {
            String v = env.get(a);
            return v == null || v.isEmpty() ? env.get(b) : v;
        }

        private static Proxy proxy(String v) {
            if (v == null || v.isEmpty()) {
                return null;
            }
            URI u = URI.create(v.contains("://") ? v : "http://" + v);
            return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(),
                    u.getPort() < 0 ? 80 : u.getPort()));
        }

        @Override
        public List<Proxy> select(URI uri) {
            String host = uri.getHost();
            Proxy p = "https".equals(uri.getScheme()) ? https : http;
            if (p == null || host == null || host.equals("localhost") || bypass(host)) {
                return List.of(Proxy.NO_PROXY);
            }
            try {
                if (InetAddress.getByName(host).isLoopbackAddress()) {
                    return List.of(Proxy.NO_PROXY);
                }
            } catch (UnknownHostException ignored) {
                // a name the proxy may resolve
            }
            return List.of(p);
        }

        private boolean bypass(String host) {
            for (String n : noProxy) {
                if (n.equals("*") || host.equals(n) || (n.startsWith(".") ? host.endsWith(n) : host.endsWith("." + n))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // nothing to remember
        }
    }
}
