package io.backplane.component.probe;

import java.io.InputStream;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/** Trust managers from the JDK's default trust store or from a given one; verification is never switched off. */
final class TrustStores {

    private TrustStores() {
    }

    /**
     * The PKIX trust manager over {@code trustStore} (a file path, or file:/classpath: resource), or over the JDK's
     * cacerts when it is null. Errors name the option and never show the password.
     */
    static X509ExtendedTrustManager load(CamelContext context, String trustStore, String password, String type) {
        if (trustStore == null) {
            return jdkDefault();
        }
        String uri = trustStore.startsWith("classpath:") || trustStore.startsWith("file:") ? trustStore
                : "file:" + trustStore;
        KeyStore keyStore;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, uri)) {
            keyStore = KeyStore.getInstance(type != null ? type : KeyStore.getDefaultType());
            keyStore.load(in, password == null ? null : password.toCharArray());
        } catch (Exception e) {
            throw new IllegalArgumentException("trustStore " + trustStore + " cannot be loaded: " + e.getMessage(), e);
        }
        return fromKeyStore(keyStore, trustStore);
    }

    private static X509ExtendedTrustManager fromKeyStore(KeyStore keyStore, String trustStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) tm;
                }
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("trustStore " + trustStore + " cannot be used: " + e.getMessage(), e);
        }
        throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    }

    private static volatile X509ExtendedTrustManager jdkDefault;

    /** The JDK's cacerts, read once: a thousand tls probes should not parse it a thousand times. */
    private static X509ExtendedTrustManager jdkDefault() {
        X509ExtendedTrustManager tm = jdkDefault;
        if (tm == null) {
            tm = fromKeyStore(null, null);
            jdkDefault = tm;
        }
        return tm;
    }

    static SSLContext context(TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { trustManager }, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies exactly like the trust manager it wraps, and remembers the chain each engine was shown, so that a
     * failed handshake (expired or untrusted certificate) can still report how many days the certificate has left.
     * The tls check removes its engine's entry when it finishes.
     */
    static final class Capturing extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;
        private final Map<SSLEngine, X509Certificate[]> seen = new ConcurrentHashMap<>();

        Capturing(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        X509Certificate[] take(SSLEngine engine) {
            return seen.remove(engine);
        }

        int pending() {
            return seen.size();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (chain != null && chain.length > 0) {
                seen.put(engine, chain);
            }
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
