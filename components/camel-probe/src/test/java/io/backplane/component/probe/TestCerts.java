package io.backplane.component.probe;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Certificates made by the JDK's keytool (run as processes) once per test JVM: a test CA, and server certificates
 * issued by it (valid for 10 days, expired 8 days ago, for another host name), one self-signed certificate, and a
 * PKCS12 trust store holding only the CA, as an operator would set up for an internal CA.
 */
final class TestCerts {

    static final String PASSWORD = "changeit";

    private static TestCerts instance;

    private final Path dir;
    final KeyStore valid;
    final KeyStore expired;
    final KeyStore otherHost;
    final KeyStore selfSigned;
    final Path trustStore;

    private TestCerts(Path dir) throws Exception {
        this.dir = dir;
        String ip = "SAN=ip:127.0.0.1,dns:localhost";
        run(List.of(
                List.of("-genkeypair", "-alias", "ca", "-dname", "CN=probe test CA", "-ext", "bc:c",
                        "-keystore", file("ca"), "-validity", "30"),
                List.of("-genkeypair", "-alias", "server", "-dname", "CN=self", "-ext", ip, "-validity", "10",
                        "-keystore", file("self"))));
        // -signer issues the new certificate with a key of the same store: each server starts from a copy of the CA
        for (String name : List.of("valid", "expired", "other")) {
            Files.copy(Path.of(file("ca")), Path.of(file(name)));
        }
        run(List.of(leaf("valid", ip, "-validity", "10"),
                    leaf("expired", ip, "-startdate", "-10d", "-validity", "2"),
                    leaf("other", "SAN=dns:other.example", "-validity", "10")));
        Certificate ca = load(dir.resolve("ca.p12")).getCertificate("ca");
        valid = serverOnly("valid");
        expired = serverOnly("expired");
        otherHost = serverOnly("other");
        selfSigned = load(dir.resolve("self.p12"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    static synchronized TestCerts get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("probe-certs");
                dir.toFile().deleteOnExit();
                instance = new TestCerts(dir);
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the test certificates: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    private String file(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    private List<String> leaf(String name, String san, String... validity) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "server", "-dname", "CN=" + name,
                                                    "-signer", "ca", "-ext", san, "-keystore", file(name)));
        args.addAll(List.of(validity));
        return args;
    }

    /** Runs keytool commands in parallel; every command gets the store type and password. */
    private static void run(List<List<String>> commands) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (List<String> args : commands) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            // a short-lived JVM: skip the optimising compiler
            command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
            command.addAll(args);
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
            if (args.get(0).equals("-genkeypair")) {
                command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
            }
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + commands.get(i) + " failed: "
                                                + new String(p.getInputStream().readAllBytes()));
            }
        }
    }

    /** Only the server's key and chain (leaf, CA): the store also holds the CA's key, which a server must not use. */
    private KeyStore serverOnly(String name) throws Exception {
        KeyStore own = load(dir.resolve(name + ".p12"));
        Key key = own.getKey("server", PASSWORD.toCharArray());
        Certificate[] chain = own.getCertificateChain("server");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, PASSWORD.toCharArray(), chain);
        return ks;
    }

    static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** A server-side TLS context presenting the key store's certificate chain. */
    static SSLContext serverContext(KeyStore keyStore) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
