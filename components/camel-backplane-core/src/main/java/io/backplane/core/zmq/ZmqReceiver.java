package io.backplane.core.zmq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Owns one receiving ZeroMQ socket and the one thread that may touch it. The thread blocks in a poll on the socket
 * and on an in-process wake-up socket (no busy polling); other threads hand it work (subscribe, unsubscribe, stop)
 * through {@link #execute}, because ZeroMQ sockets are not thread-safe.
 */
public final class ZmqReceiver {

    /** Handles one multipart message; returns the reply frames for REQ/REP style sockets, or null. */
    @FunctionalInterface
    public interface Handler {
        byte[][] onMessage(byte[][] frames) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ZmqReceiver.class);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final ZContext context;
    private final ZMQ.Socket socket;
    private final Handler handler;
    private final Consumer<Exception> onError;
    private final String wakeAddress;
    private final ZMQ.Socket wakeSender;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param socket a socket created from {@code context}, already bound or connected; from now on only the
     *               receiver's thread uses it, and closes it when stopped
     */
    public ZmqReceiver(ZContext context, ZMQ.Socket socket, String threadName, Handler handler,
                       Consumer<Exception> onError) {
        this.context = context;
        this.socket = socket;
        this.handler = handler;
        this.onError = onError;
        this.wakeAddress = "inproc://backplane-wake-" + SEQ.incrementAndGet();
        ZMQ.Socket wakeReceiver = context.createSocket(SocketType.PULL);
        wakeReceiver.bind(wakeAddress);
        this.wakeSender = context.createSocket(SocketType.PUSH);
        this.wakeSender.connect(wakeAddress);
        this.thread = new Thread(() -> loop(wakeReceiver), threadName);
        this.thread.setDaemon(true);
    }

    public ZmqReceiver start() {
        thread.start();
        return this;
    }

    /** Runs the task on the receiver's thread (the only thread allowed to use its socket). */
    public void execute(Runnable task) {
        tasks.add(task);
        synchronized (wakeSender) {
            wakeSender.send(new byte[0], ZMQ.DONTWAIT);
        }
    }

    /** Runs an action on the socket, on the receiver's thread (e.g. to change subscriptions). */
    public void withSocket(Consumer<ZMQ.Socket> action) {
        execute(() -> action.accept(socket));
    }

    /** Stops the thread, closes the socket (freeing its port) and waits for both. */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        execute(() -> {
        });
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.warn("ZeroMQ receiver thread {} did not stop within 10 s", thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (wakeSender) {
            context.destroySocket(wakeSender);
        }
    }

    private void loop(ZMQ.Socket wakeReceiver) {
        ZMQ.Poller poller = context.createPoller(2);
        int socketIndex = poller.register(socket, ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        List<byte[]> frames = new ArrayList<>(4);
        try {
            while (running) {
                if (poller.poll(-1) < 0) {
                    break;
                }
                if (poller.pollin(wakeIndex)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // drain wake-ups; the tasks are in the queue
                    }
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                }
                if (!running) {
                    break;
                }
                if (poller.pollin(socketIndex)) {
                    // drain everything that is ready before polling again: one poll per burst, not per message
                    byte[] first;
                    while (running && (first = socket.recv(ZMQ.DONTWAIT)) != null) {
                        frames.clear();
                        frames.add(first);
                        while (socket.hasReceiveMore()) {
                            frames.add(socket.recv(0));
                        }
                        handle(frames.toArray(new byte[0][]));
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("ZeroMQ receiver thread {} failed", thread.getName(), e);
            }
        } finally {
            poller.close();
            context.destroySocket(socket);
            context.destroySocket(wakeReceiver);
            stopped.countDown();
        }
    }

    private void handle(byte[][] frames) {
        try {
            byte[][] reply = handler.onMessage(frames);
            if (reply != null) {
                for (int i = 0; i < reply.length; i++) {
                    socket.send(reply[i], i < reply.length - 1 ? ZMQ.SNDMORE : 0);
                }
            }
        } catch (Exception e) {
            onError.accept(e);
        }
    }
}
