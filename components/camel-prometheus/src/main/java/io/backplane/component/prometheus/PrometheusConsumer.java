package io.backplane.component.prometheus;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.backplane.core.Event;
import io.backplane.core.Events;
import io.backplane.core.Tags;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the endpoint's query on its own scheduler thread: one poll at a time, the next one scheduled when the previous
 * one (and the routing of its events) is done, further apart while polls fail. Events are routed synchronously on
 * that thread, in the order of the result.
 * <p>
 * Health: {@link #getLastError()} is null while polls succeed, and holds the reason of the last failed poll otherwise.
 */
public class PrometheusConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusConsumer.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final PrometheusEndpoint endpoint;
    /** Label sets of the series now firing (threshold mode); written by the poll thread only. */
    private final Set<Map<String, String>> firing = ConcurrentHashMap.newKeySet();
    private final AtomicLong successfulPolls = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();

    private volatile ScheduledThreadPoolExecutor scheduler;
    private PrometheusClient client;
    private volatile CompletableFuture<?> inflight;
    private volatile String lastError;
    private volatile Instant lastErrorTime;
    private volatile Instant lastSuccessTime;
    private volatile int consecutiveFailures;
    private volatile long nextDelay;
    /** The error last logged at WARN: the same error again is logged at DEBUG only (poll thread only). */
    private String lastLoggedError;

    public PrometheusConsumer(PrometheusEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    public PrometheusEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = endpoint.newClient();
        firing.clear();
        consecutiveFailures = 0;
        lastLoggedError = null;
        String threadName = "prometheus:" + endpoint.getName();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                r -> endpoint.getCamelContext().getExecutorServiceManager().newThread(threadName, r));
        // on stop, a poll waiting for its turn is dropped at once; a running one may finish routing its events
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        s.setRemoveOnCancelPolicy(true);
        scheduler = s;
        nextDelay = 0;
        s.execute(this::poll);
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledThreadPoolExecutor s = scheduler;
        if (s != null) {
            s.shutdown();
            CompletableFuture<?> f = inflight;
            if (f != null) {
                f.cancel(true); // the poll thread stops waiting for the answer at once
            }
            if (!s.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("prometheus:{} poll still running {} s after stop was asked: interrupting it",
                         endpoint.getName(), STOP_TIMEOUT_SECONDS);
                s.shutdownNow();
            }
            scheduler = null;
        }
        // a restarted consumer starts from scratch: series still above fire again
        firing.clear();
        super.doStop();
    }

    private void poll() {
        if (!isRunAllowed()) {
            return;
        }
        long delay;
        try {
            PrometheusClient.Result result = query();
            if (result == null) {
                return; // stopping
            }
            succeeded(result);
            delay = endpoint.getInterval();
        } catch (PrometheusQueryException e) {
            delay = failed(e);
        } catch (RuntimeException e) {
            // never let the schedule die of something unexpected
            delay = failed(new PrometheusQueryException("poll failed: " + e, e));
        }
        nextDelay = delay;
        ScheduledThreadPoolExecutor s = scheduler;
        if (isRunAllowed() && s != null) {
            try {
                s.schedule(this::poll, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the consumer is stopping
            }
        }
    }

    /** One query; null when the consumer stopped while waiting for the answer. */
    private PrometheusClient.Result query() throws PrometheusQueryException {
        CompletableFuture<HttpResponse<byte[]>> f = client.send(endpoint.getComponent().httpClient());
        inflight = f;
        HttpResponse<byte[]> response;
        try {
            response = f.get();
        } catch (CancellationException stopped) {
            return null;
        } catch (InterruptedException stopped) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw client.failure(e);
        } finally {
            inflight = null;
        }
        return client.parse(response, endpoint.hasCredentials());
    }

    private void succeeded(PrometheusClient.Result result) {
        if (consecutiveFailures > 0) {
            LOG.info("prometheus:{} recovered: the query succeeded after {} failed polls", endpoint.getName(),
                     consecutiveFailures);
        }
        consecutiveFailures = 0;
        lastError = null;
        lastLoggedError = null;
        lastSuccessTime = Instant.now();
        if (!endpoint.isThresholdMode()) {
            for (PrometheusClient.Sample s : result.samples()) {
                if (!isRunAllowed()) {
                    return;
                }
                emit("sample", result.resultType(), s.labels(), s.value(), s.valueText(), toTime(s.timestamp()),
                     null);
            }
        } else {
            double above = endpoint.getAbove();
            double resolveAt = endpoint.resolveAt();
            Set<Map<String, String>> seen = new HashSet<>();
            for (PrometheusClient.Sample s : result.samples()) {
                if (!isRunAllowed()) {
                    return;
                }
                seen.add(s.labels());
                // NaN compares false both ways: it changes nothing
                if (!firing.contains(s.labels())) {
                    if (s.value() > above) {
                        firing.add(s.labels());
                        emit("firing", result.resultType(), s.labels(), s.value(), s.valueText(),
                             toTime(s.timestamp()), "above");
                    }
                } else if (s.value() <= resolveAt) {
                    firing.remove(s.labels());
                    emit("resolved", result.resultType(), s.labels(), s.value(), s.valueText(),
                         toTime(s.timestamp()), "below");
                }
            }
            for (Iterator<Map<String, String>> it = firing.iterator(); it.hasNext();) {
                Map<String, String> labels = it.next();
                if (!seen.contains(labels) && isRunAllowed()) {
                    // the series is gone (target down, label changed, condition in the query no longer true)
                    it.remove();
                    emit("resolved", result.resultType(), labels, null, null, Instant.now().toString(), "absent");
                }
            }
        }
        successfulPolls.incrementAndGet();
    }

    private long failed(PrometheusQueryException e) {
        int failures = ++consecutiveFailures;
        failedPolls.incrementAndGet();
        String message = e.getMessage();
        lastError = message;
        lastErrorTime = Instant.now();
        long delay = backoff(failures);
        if (!message.equals(lastLoggedError)) {
            lastLoggedError = message;
            LOG.warn("prometheus:{} poll failed: {} (retrying in {} ms, backing off up to {} ms; the same error again "
                     + "is logged at DEBUG)", endpoint.getName(), message, delay,
                     Math.max(endpoint.getInterval(), endpoint.getMaxBackoff()));
        } else {
            LOG.debug("prometheus:{} poll failed again ({} in a row): {}", endpoint.getName(), failures, message, e);
        }
        return delay;
    }

    /** interval * 2^failures, capped at maxBackoff but never below interval. */
    long backoff(int failures) {
        long interval = endpoint.getInterval();
        long max = Math.max(interval, endpoint.getMaxBackoff());
        long delay = interval;
        for (int i = 0; i < failures && delay < max; i++) {
            delay = delay > max / 2 ? max : delay * 2;
        }
        return Math.min(delay, max);
    }

    private void emit(String state, String resultType, Map<String, String> labels, Double value, String valueText,
                      String timestamp, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", endpoint.getName());
        data.put("query", endpoint.getQuery());
        data.put("resultType", resultType);
        data.put("labels", labels);
        // JSON has no NaN or infinity: those are null here and spelled out in valueText
        data.put("value", value != null && Double.isFinite(value) ? value : null);
        data.put("valueText", valueText);
        data.put("timestamp", timestamp);
        if (reason != null) {
            data.put("above", endpoint.getAbove());
            data.put("below", endpoint.resolveAt());
            data.put("reason", reason);
        }
        String subject = labels.get(endpoint.getSubjectLabel());
        Event event = Event.builder(endpoint.tagPrefix() + "/" + state)
                .subject(subject == null || subject.isEmpty() ? endpoint.getName() : subject)
                .source("prometheus/" + Tags.segment(endpoint.getName()))
                .data(data)
                .build();
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            Events.toMessage(event, message);
            message.setHeader(PrometheusConstants.STATE, state);
            message.setHeader(PrometheusConstants.LABELS, labels);
            if (value != null) {
                message.setHeader(PrometheusConstants.VALUE, value);
            }
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("error routing " + event.type() + " for " + event.subject(),
                                                  exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    private static String toTime(double unixSeconds) {
        return Instant.ofEpochMilli(Math.round(unixSeconds * 1000)).toString();
    }

    /** The reason the last poll failed, or null when it succeeded (or none has run yet). */
    public String getLastError() {
        return lastError;
    }

    /** When the last failed poll happened, or null. */
    public Instant getLastErrorTime() {
        return lastErrorTime;
    }

    /** When the last successful poll happened, or null. */
    public Instant getLastSuccessTime() {
        return lastSuccessTime;
    }

    /** Failed polls since the last successful one. */
    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    /** True unless the last poll failed. */
    public boolean isHealthy() {
        return consecutiveFailures == 0;
    }

    /** Polls that got a usable answer (counted after their events were routed). */
    public long getSuccessfulPolls() {
        return successfulPolls.get();
    }

    public long getFailedPolls() {
        return failedPolls.get();
    }

    /** Milliseconds from the end of the last poll to the next one: interval, or more while backing off. */
    public long getNextDelay() {
        return nextDelay;
    }

    /** The label sets of the series now firing (threshold mode), a snapshot. */
    public Set<Map<String, String>> getFiringSeries() {
        return Set.copyOf(firing);
    }
}
