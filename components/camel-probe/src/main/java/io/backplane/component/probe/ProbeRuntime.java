package io.backplane.component.probe;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads and clients shared by all probes of one component, so the thread count does not grow with the number
 * of probes: one scheduler thread (timers only), {@code workerThreads} (start checks, route events),
 * {@code ioThreads} (TCP and TLS sockets, asynchronous) and, once an http probe runs, {@code httpThreads} for the
 * shared JDK HTTP clients. Thread names end with " - Probe&lt;Role&gt;" (Camel's thread name pattern).
 */
final class ProbeRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRuntime.class);

    static final String SCHEDULER = "ProbeScheduler";
    static final String WORKER = "ProbeWorker";
    static final String IO = "ProbeIO";
    static final String HTTP = "ProbeHttp";

    private final CamelContext context;
    private final int httpThreads;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor workers;
    private final AsynchronousChannelGroup io;
    private ThreadPoolExecutor httpExecutor;
    private final Map<String, HttpClient> httpClients = new ConcurrentHashMap<>();
    /** HTTP requests in flight: cancelled at shutdown, so the JDK client's thread need not wait for their timeout. */
    private final Set<CompletableFuture<?>> httpInFlight = ConcurrentHashMap.newKeySet();

    ProbeRuntime(CamelContext context, int workerThreads, int ioThreads, int httpThreads) throws IOException {
        this.context = context;
        this.httpThreads = httpThreads;
        scheduler = new ScheduledThreadPoolExecutor(1, threads(SCHEDULER));
        // cancelled deadlines (one per check) would otherwise stay queued until their time
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // unbounded queue: each probe has at most one check in flight, so it never holds more than ~2 tasks per probe
        workers = new ThreadPoolExecutor(workerThreads, workerThreads, 0, TimeUnit.MILLISECONDS,
                                         new LinkedBlockingQueue<>(), threads(WORKER));
        io = AsynchronousChannelGroup.withFixedThreadPool(ioThreads, threads(IO));
    }

    private ThreadFactory threads(String name) {
        ExecutorServiceManager manager = context.getExecutorServiceManager();
        return r -> {
            Thread t = manager.newThread(name, r);
            t.setDaemon(true);
            return t;
        };
    }

    ScheduledThreadPoolExecutor scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    AsynchronousChannelGroup io() {
        return io;
    }

    /** The HTTP client for one trust setting and redirect policy; clients are shared and keep connections alive. */
    HttpClient httpClient(String key, Supplier<SSLContext> sslContext, boolean followRedirects) {
        return httpClients.computeIfAbsent(key + "|" + followRedirects, k -> HttpClient.newBuilder()
                .executor(httpExecutor())
                .sslContext(sslContext.get())
                .followRedirects(followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    /** Tracks a request until it completes. */
    void track(CompletableFuture<?> request) {
        httpInFlight.add(request);
        request.whenComplete((r, e) -> httpInFlight.remove(request));
    }

    private synchronized ExecutorService httpExecutor() {
        if (httpExecutor == null) {
            httpExecutor = new ThreadPoolExecutor(httpThreads, httpThreads, 0, TimeUnit.MILLISECONDS,
                                                  new LinkedBlockingQueue<>(), threads(HTTP));
        }
        return httpExecutor;
    }

    /** Stops every thread; waits (a few seconds at most) until they have ended. */
    void shutdown() {
        for (CompletableFuture<?> request : httpInFlight) {
            request.cancel(true);
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            io.shutdownNow();
        } catch (IOException e) {
            LOG.debug("closing the probe channel group", e);
        }
        ExecutorService http;
        synchronized (this) {
            http = httpExecutor;
        }
        if (http != null) {
            http.shutdownNow();
        }
        for (HttpClient client : httpClients.values()) {
            closeClient(client);
        }
        httpClients.clear();
        List<Boolean> done = new ArrayList<>();
        try {
            done.add(scheduler.awaitTermination(5, TimeUnit.SECONDS));
            done.add(workers.awaitTermination(5, TimeUnit.SECONDS));
            done.add(io.awaitTermination(5, TimeUnit.SECONDS));
            if (http != null) {
                done.add(http.awaitTermination(5, TimeUnit.SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (done.contains(false)) {
            LOG.warn("some probe threads did not end within 5 s of the component's stop");
        }
    }

    /**
     * JDK 21 added HttpClient.shutdownNow(); on 17 the client's selector thread ends by itself once the client is
     * no longer referenced.
     */
    private static void closeClient(HttpClient client) {
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(client);
        } catch (NoSuchMethodException e) {
            // JDK 17-20
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot shut down an HTTP client", e);
        }
    }
}
