package io.backplane.component.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.function.Consumer;

/** Up when a TCP connection to host:port is accepted within the timeout; the connection is closed at once. */
final class TcpCheck implements Check {

    private final String host;
    private final int port;
    private final long timeoutMillis;

    TcpCheck(String host, int port, long timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Runnable start(ProbeRuntime runtime, Consumer<Outcome> done) throws IOException {
        InetSocketAddress address = resolve(host, port);
        if (address.isUnresolved()) {
            done.accept(Outcome.fail("unknown host " + host));
            return () -> {
            };
        }
        AsynchronousSocketChannel channel = AsynchronousSocketChannel.open(runtime.io());
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
                close(channel);
                done.accept(Outcome.ok(null, null));
            }

            @Override
            public void failed(Throwable e, Void attachment) {
                close(channel);
                done.accept(Outcome.fail(Failures.describe(e, host, timeoutMillis)));
            }
        });
        return () -> close(channel);
    }

    /** Resolves the name on the calling worker thread (the JDK resolver blocks; its cache makes repeats cheap). */
    static InetSocketAddress resolve(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the check is over
        }
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String target() {
        return hostPort(host, port);
    }

    @Override
    public String defaultSubject() {
        return target();
    }
}
