package io.backplane.component.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Accepts connections on 127.0.0.1 and never sends a byte: a service that hangs. */
final class HangingServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    /** Connections the client closed (the server read end-of-stream, or a reset). */
    final AtomicInteger closedByClient = new AtomicInteger();

    HangingServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return;
                }
                held.add(socket);
                accepted.incrementAndGet();
                Thread reader = new Thread(() -> {
                    try {
                        while (socket.getInputStream().read() >= 0) {
                            // discard what the client sends (a TLS ClientHello, an HTTP request)
                        }
                    } catch (IOException e) {
                        // reset by the client, or closed by close() below
                    }
                    if (!server.isClosed()) {
                        closedByClient.incrementAndGet();
                    }
                }, "hanging-server-reader");
                reader.setDaemon(true);
                reader.start();
            }
        }, "hanging-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
