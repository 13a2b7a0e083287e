package io.backplane.component.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Up when a TLS handshake with host:port succeeds (certificate chain trusted, host name matching) and the leaf
 * certificate has at least {@code minDaysLeft} days left. The handshake runs on an {@link SSLEngine} over an
 * asynchronous socket, so waiting servers cost no thread; certificate checks run on the I/O thread.
 */
final class TlsCheck implements Check {

    static final long DAY_MILLIS = 86_400_000L;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final String host;
    private final int port;
    private final int minDaysLeft;
    private final long timeoutMillis;
    private final TrustStores.Capturing trust;
    private final SSLContext sslContext;

    TlsCheck(String host, int port, int minDaysLeft, long timeoutMillis, TrustStores.Capturing trust) {
        this.host = host;
        this.port = port;
        this.minDaysLeft = minDaysLeft;
        this.timeoutMillis = timeoutMillis;
        this.trust = trust;
        this.sslContext = TrustStores.context(trust);
    }

    @Override
    public Runnable start(ProbeRuntime runtime, Consumer<Outcome> done) throws IOException {
        InetSocketAddress address = TcpCheck.resolve(host, port);
        if (address.isUnresolved()) {
            done.accept(Outcome.fail("unknown host " + host));
            return () -> {
            };
        }
        SSLEngine engine = sslContext.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        engine.setSSLParameters(parameters);
        AsynchronousSocketChannel channel = AsynchronousSocketChannel.open(runtime.io());
        Handshake handshake = new Handshake(channel, engine, done);
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
                handshake.begin();
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                handshake.fail(e);
            }
        });
        return () -> TcpCheck.close(channel);
    }

    /** Whole days from now until notAfter, rounded down (negative once expired). */
    static long daysLeft(X509Certificate certificate, long nowMillis) {
        return Math.floorDiv(certificate.getNotAfter().getTime() - nowMillis, DAY_MILLIS);
    }

    /** Chains remembered for handshakes still running (0 when idle: nothing is kept after a check). */
    int pendingCaptures() {
        return trust.pending();
    }

    @Override
    public String target() {
        return TcpCheck.hostPort(host, port);
    }

    @Override
    public String defaultSubject() {
        return target();
    }

    /** One client handshake, driven by completion handlers: wrap and write, or read and unwrap, until done. */
    private final class Handshake {

        private final AsynchronousSocketChannel channel;
        private final SSLEngine engine;
        private final Consumer<Outcome> done;
        private final AtomicBoolean finished = new AtomicBoolean();
        private ByteBuffer netIn;
        private ByteBuffer netOut;
        private ByteBuffer appIn;

        Handshake(AsynchronousSocketChannel channel, SSLEngine engine, Consumer<Outcome> done) {
            this.channel = channel;
            this.engine = engine;
            this.done = done;
            int packet = engine.getSession().getPacketBufferSize();
            netIn = ByteBuffer.allocate(packet);
            netOut = ByteBuffer.allocate(packet);
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        void begin() {
            try {
                engine.beginHandshake();
            } catch (SSLException | RuntimeException e) {
                fail(e);
                return;
            }
            step();
        }

        /** Advances the handshake as far as it can without waiting; each wait ends in a handler calling step. */
        private void step() {
            try {
                while (true) {
                    switch (engine.getHandshakeStatus()) {
                        case NEED_TASK:
                            Runnable task;
                            while ((task = engine.getDelegatedTask()) != null) {
                                task.run(); // certificate path validation: CPU only
                            }
                            break;
                        case NEED_WRAP:
                            netOut.clear();
                            SSLEngineResult wrapped = engine.wrap(EMPTY, netOut);
                            if (wrapped.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                                break;
                            }
                            netOut.flip();
                            if (netOut.hasRemaining()) {
                                write();
                                return;
                            }
                            if (wrapped.getStatus() == SSLEngineResult.Status.CLOSED) {
                                fail(new SSLException("the TLS engine closed during the handshake"));
                                return;
                            }
                            break;
                        case NEED_UNWRAP:
                        case NEED_UNWRAP_AGAIN:
                            netIn.flip();
                            SSLEngineResult unwrapped = engine.unwrap(netIn, appIn);
                            netIn.compact();
                            switch (unwrapped.getStatus()) {
                                case BUFFER_UNDERFLOW:
                                    if (!netIn.hasRemaining()) {
                                        ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                                        netIn.flip();
                                        bigger.put(netIn);
                                        netIn = bigger;
                                    }
                                    read();
                                    return;
                                case BUFFER_OVERFLOW:
                                    appIn = ByteBuffer.allocate(appIn.capacity() * 2);
                                    break;
                                case CLOSED:
                                    fail(new SSLException("the server closed the connection during the TLS handshake"));
                                    return;
                                default:
                                    appIn.clear(); // application data (none expected before the handshake ends)
                                    break;
                            }
                            break;
                        default: // FINISHED or NOT_HANDSHAKING: the handshake is over
                            succeed();
                            return;
                    }
                }
            } catch (SSLException | RuntimeException e) {
                fail(e);
            }
        }

        private void write() {
            channel.write(netOut, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void attachment) {
                    if (netOut.hasRemaining()) {
                        write();
                    } else {
                        step();
                    }
                }

                @Override
                public void failed(Throwable e, Void attachment) {
                    fail(e);
                }
            });
        }

        private void read() {
            channel.read(netIn, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void attachment) {
                    if (n < 0) {
                        fail(new SSLException("the server closed the connection during the TLS handshake"));
                    } else {
                        step();
                    }
                }

                @Override
                public void failed(Throwable e, Void attachment) {
                    fail(e);
                }
            });
        }

        private void succeed() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            trust.take(engine);
            Outcome outcome;
            try {
                Certificate[] chain = engine.getSession().getPeerCertificates();
                X509Certificate leaf = (X509Certificate) chain[0];
                long days = daysLeft(leaf, System.currentTimeMillis());
                String notAfter = leaf.getNotAfter().toInstant().toString();
                if (days < 0) {
                    // only possible when the certificate itself is in the trust store: PKIX does not check the
                    // validity of trust anchors
                    outcome = Outcome.fail("certificate expired on " + notAfter, null, days);
                } else if (days < minDaysLeft) {
                    outcome = Outcome.fail("certificate expires in " + days + " days (" + notAfter
                                           + "), fewer than minDaysLeft " + minDaysLeft, null, days);
                } else {
                    outcome = Outcome.ok(null, days);
                }
            } catch (Exception e) {
                outcome = Outcome.fail(Failures.describe(e, host, timeoutMillis));
            }
            done.accept(outcome);
            closeGracefully();
        }

        void fail(Throwable e) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            X509Certificate[] shown = trust.take(engine);
            Long days = shown == null ? null : daysLeft(shown[0], System.currentTimeMillis());
            TcpCheck.close(channel);
            done.accept(Outcome.fail(Failures.describe(e, host, timeoutMillis), null, days));
        }

        /** Sends close_notify, then closes; the outcome is already reported, so errors here do not matter. */
        private void closeGracefully() {
            try {
                engine.closeOutbound();
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                netOut.flip();
                channel.write(netOut, null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer n, Void attachment) {
                        TcpCheck.close(channel);
                    }

                    @Override
                    public void failed(Throwable e, Void attachment) {
                        TcpCheck.close(channel);
                    }
                });
            } catch (Exception e) {
                TcpCheck.close(channel);
            }
        }
    }
}
