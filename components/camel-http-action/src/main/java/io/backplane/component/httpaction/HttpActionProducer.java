package io.backplane.component.httpaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.Events;
import io.backplane.core.Tags;
import io.backplane.core.action.ActionResult;
import io.backplane.core.action.ActionResult.Outcome;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.UnitOfWorkHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one action per exchange: renders the request from the event, asks the target's circuit breaker, sends through
 * camel-http with retries, dead-letters what finally failed because of the target, and replaces the body with the
 * result event. It never throws for an action that did not succeed (unless {@code throwOnFailure}): a failed action
 * is a result like any other and the route goes on to its next event.
 */
public class HttpActionProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpActionProducer.class);
    static final String ACTOR = "http";
    private static final int MAX_RESPONSE_BYTES = ActionResult.DEFAULT_MAX_OUTPUT;

    /** How one attempt ended. */
    enum Kind {
        /** 2xx. */
        SUCCESS(false),
        /** Any other status below 500: the request is wrong or unwelcome, sending it again will not help. */
        REJECTED(false),
        /** 5xx. */
        SERVER_ERROR(true),
        /** Refused, reset, closed without a response, unknown host. */
        CONNECTION(true),
        /** No connection or no response data within the timeout. */
        TIMEOUT(true),
        /** Anything else (a bug, a bad URL): not the target's fault, not retried. */
        ERROR(false);

        final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    record Attempt(Kind kind, Integer status, String responseBody, String retryAfter, String error) {
    }

    record Request(String url, byte[] body) {
    }

    private final HttpActionEndpoint endpoint;
    private final EventCodec codec = EventCodec.defaults();
    private CircuitBreaker breaker;
    private HttpActionComponent.Sender sender;
    private Endpoint deadLetterEndpoint;
    private ProducerTemplate deadLetters;

    public HttpActionProducer(HttpActionEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public HttpActionEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        HttpActionComponent component = endpoint.getComponent();
        UrlTemplate url = endpoint.urlTemplate();
        breaker = endpoint.getBreakerFailures() > 0 ? component.breaker(url.target()) : null;
        sender = component.sender(url.base(), endpoint.getTimeout());
        if (endpoint.getDeadLetterUri() != null) {
            deadLetterEndpoint = endpoint.getCamelContext().getEndpoint(endpoint.getDeadLetterUri());
            deadLetters = endpoint.getCamelContext().createProducerTemplate();
            ServiceHelper.startService(deadLetters);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(deadLetters);
        deadLetters = null;
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) {
        String name = endpoint.getName();
        Event cause;
        try {
            cause = Events.fromExchange(exchange, codec, null);
        } catch (RuntimeException e) {
            ActionResult result = ActionResult.start(ACTOR, name, null)
                    .put("method", endpoint.getMethod()).put("attempts", 0).put("deadLetter", false);
            finish(exchange, result, Outcome.REFUSED, "the message is not an event: " + e.getMessage(), null, false);
            return;
        }
        // room for the response's own "[truncated: n more bytes]" mark, so it is not cut again
        ActionResult result = ActionResult.start(ACTOR, name, cause).maxOutput(MAX_RESPONSE_BYTES + 64)
                .put("method", endpoint.getMethod());
        Request request;
        try {
            request = render(cause);
        } catch (RuntimeException e) {
            // bad input: nothing is sent, and sending it later would fail the same way, so no dead letter
            result.put("attempts", 0).put("deadLetter", false);
            finish(exchange, result, Outcome.REFUSED, e.getMessage(), null, false);
            return;
        }
        result.put("url", request.url());

        CircuitBreaker.Permit permit = breaker == null ? CircuitBreaker.Permit.SEND : breaker.acquire();
        if (permit == CircuitBreaker.Permit.REFUSED) {
            String why = breaker.refusal();
            result.put("attempts", 0).put("deadLetter", true);
            String deadLetterError = deadLetter(cause, request, Outcome.REFUSED, why, 0, null);
            if (deadLetterError != null) {
                result.put("deadLetterError", deadLetterError);
            }
            finish(exchange, result, Outcome.REFUSED, why, null, true);
            return;
        }

        int maxAttempts = permit == CircuitBreaker.Permit.TRIAL ? 1 : endpoint.getRetries() + 1;
        int attempts = 0;
        boolean interrupted = false;
        Attempt last;
        try {
            while (true) {
                attempts++;
                last = send(request);
                if (!last.kind().retryable || attempts >= maxAttempts) {
                    break;
                }
                long delay = delayBefore(attempts + 1, last);
                LOG.debug("http-action {}: attempt {} of {} to {} failed ({}); next in {} ms", name, attempts,
                          maxAttempts, request.url(), last.error(), delay);
                if (!pause(delay)) {
                    interrupted = true;
                    break;
                }
            }
        } catch (RuntimeException e) {
            // never leave a trial slot taken: the circuit could not close again
            if (breaker != null) {
                breaker.release(permit);
            }
            throw e;
        }

        Outcome outcome = switch (last.kind()) {
            case SUCCESS -> Outcome.OK;
            case TIMEOUT -> Outcome.TIMEOUT;
            default -> Outcome.FAILED;
        };
        boolean targetFailed = last.kind().retryable;
        String error = last.error();
        if (interrupted) {
            error = error + "; stopped before the next retry";
        } else if (targetFailed && attempts > 1) {
            error = error + " (after " + attempts + " attempts)";
        }
        if (breaker != null) {
            if (last.kind() == Kind.SUCCESS || last.kind() == Kind.REJECTED) {
                if (breaker.success()) {
                    LOG.info("http-action {}: circuit for {} closed again", name, breaker.target());
                }
            } else if (targetFailed && !interrupted) {
                if (permit == CircuitBreaker.Permit.TRIAL) {
                    error = error + " (circuit trial: the circuit stays open)";
                }
                if (breaker.failure(permit, endpoint.getBreakerFailures(), endpoint.getBreakerOpenFor())) {
                    LOG.warn("http-action {}: {}", name, breaker.refusal());
                }
            } else {
                breaker.release(permit);
            }
        }
        if (last.status() != null) {
            result.put("status", last.status());
        }
        result.put("attempts", attempts).put("deadLetter", targetFailed);
        if (last.responseBody() != null) {
            result.put("responseBody", last.responseBody());
        }
        if (targetFailed) {
            String deadLetterError = deadLetter(cause, request, outcome, error, attempts, last.status());
            if (deadLetterError != null) {
                result.put("deadLetterError", deadLetterError);
            }
        }
        finish(exchange, result, outcome, outcome == Outcome.OK ? null : error, last.status(), targetFailed);
    }

    private Request render(Event cause) {
        String url = endpoint.urlTemplate().render(cause);
        byte[] body = null;
        if (endpoint.bodyTemplate() != null) {
            // valid JSON by construction: the template's structure was checked when the endpoint was created and
            // each placeholder renders as one complete JSON value
            body = endpoint.bodyTemplate().render(cause).getBytes(StandardCharsets.UTF_8);
        } else if (endpoint.sendsEventAsBody()) {
            body = cause.toJson();
        }
        return new Request(url, body);
    }

    /** One request through camel-http; its outcome, never an exception. */
    Attempt send(Request request) {
        Exchange http = sender.endpoint().createExchange();
        Message out = http.getMessage();
        out.setHeader(Exchange.HTTP_METHOD, endpoint.getMethod());
        out.setHeader(Exchange.HTTP_URI, request.url());
        if (request.body() != null) {
            out.setBody(request.body());
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        endpoint.extraHeaders().forEach(out::setHeader);
        if (endpoint.authorization() != null) {
            out.setHeader("Authorization", endpoint.authorization());
        }
        try {
            sender.producer().process(http);
        } catch (Exception e) {
            http.setException(e);
        }
        try {
            if (http.getException() != null) {
                return failure(http.getException());
            }
            Message in = http.getMessage();
            Integer status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null) {
                return new Attempt(Kind.ERROR, null, null, null, "camel-http returned no status");
            }
            String body = readBounded(in);
            String reason = in.getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class);
            String error = "HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason);
            Kind kind = status >= 200 && status < 300 ? Kind.SUCCESS
                    : status >= 500 ? Kind.SERVER_ERROR : Kind.REJECTED;
            return new Attempt(kind, status, body, in.getHeader("Retry-After", String.class), error);
        } catch (IOException e) {
            return failure(e);
        } finally {
            // the response may sit in a stream cache (a temp file when large) that is released on completion
            List<Synchronization> completions = http.getExchangeExtension().handoverCompletions();
            UnitOfWorkHelper.doneSynchronizations(http, completions);
        }
    }

    private Attempt failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException && !Thread.currentThread().isInterrupted()) {
                return new Attempt(Kind.TIMEOUT, null, null, null, "no answer within " + endpoint.getTimeout()
                                                                   + " ms: " + describe(t));
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return new Attempt(Kind.CONNECTION, null, null, null, "connection failed: " + describe(t));
            }
        }
        return new Attempt(Kind.ERROR, null, null, null, "request failed: " + describe(e));
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The response text, at most {@link #MAX_RESPONSE_BYTES} bytes of it, marking a cut. */
    private static String readBounded(Message in) throws IOException {
        if (in.getBody() == null) {
            return "";
        }
        InputStream stream = in.getBody(InputStream.class);
        if (stream == null) {
            return in.getBody(String.class);
        }
        try (stream) {
            byte[] head = stream.readNBytes(MAX_RESPONSE_BYTES);
            long rest = stream.transferTo(OutputStream.nullOutputStream());
            return ActionResult.truncate(head, (int) Math.min(Integer.MAX_VALUE, head.length + rest),
                                         MAX_RESPONSE_BYTES);
        }
    }

    /** The wait before attempt number {@code next}: exponential, or a 503's Retry-After; at most maxBackoff. */
    long delayBefore(int next, Attempt last) {
        long max = endpoint.getMaxBackoff();
        if (last.status() != null && last.status() == 503 && last.retryAfter() != null) {
            Long retryAfter = parseRetryAfter(last.retryAfter());
            if (retryAfter != null) {
                return Math.min(retryAfter, max);
            }
        }
        int doublings = next - 2; // before the 2nd attempt: backoff; before the 3rd: 2 * backoff; ...
        long delay = endpoint.getBackoff();
        for (int i = 0; i < doublings && delay < max; i++) {
            delay *= 2;
        }
        return Math.min(delay, max);
    }

    /** Retry-After as delta-seconds or an HTTP date; null when it is neither. */
    static Long parseRetryAfter(String value) {
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            return Long.parseLong(v) * 1000;
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(Instant.now(), at).toMillis());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Waits between attempts; false when the thread was interrupted (the route is being stopped). */
    private boolean pause(long millis) {
        if (!isRunAllowed()) {
            return false;
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends the dead-letter event when a deadLetterUri is set; returns why that failed, or null. */
    private String deadLetter(Event cause, Request request, Outcome outcome, String error, int attempts,
                              Integer status) {
        // an open circuit refuses every event until it closes: the opening is logged once, not each refusal
        if (outcome == Outcome.REFUSED ? LOG.isDebugEnabled() : LOG.isWarnEnabled()) {
            String line = "http-action {}: {} for event {} ({}): {}; dead-lettered{}";
            Object[] args = {endpoint.getName(), outcome.segment(), cause.id(), cause.type(), error,
                             deadLetterEndpoint == null ? "" : " to " + deadLetterEndpoint};
            if (outcome == Outcome.REFUSED) {
                LOG.debug(line, args);
            } else {
                LOG.warn(line, args);
            }
        }
        if (deadLetterEndpoint == null) {
            return null;
        }
        try {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("actor", ACTOR);
            data.put("name", endpoint.getName());
            data.put("outcome", outcome.segment());
            data.put("error", ActionResult.truncate(error, ActionResult.DEFAULT_MAX_OUTPUT));
            data.put("attempts", attempts);
            data.put("url", request.url());
            if (status != null) {
                data.put("status", status);
            }
            data.put("event", new LinkedHashMap<>(cause));
            Event letter = Event.builder("deadletter/" + ACTOR + "/" + Tags.segment(endpoint.getName()))
                    .source("backplane/actor/" + ACTOR)
                    .subject(cause.subject())
                    .causedBy(cause)
                    .data(data)
                    .build();
            Exchange sent = deadLetters.send(deadLetterEndpoint, e -> Events.toMessage(letter, e.getMessage()));
            if (sent.getException() != null) {
                throw sent.getException();
            }
            return null;
        } catch (Exception e) {
            LOG.warn("http-action {}: the dead letter for event {} could not be sent to {}: {}", endpoint.getName(),
                     cause.id(), deadLetterEndpoint, e.getMessage());
            return "the dead letter could not be sent to " + endpoint.getDeadLetterUri() + ": " + e.getMessage();
        }
    }

    private void finish(Exchange exchange, ActionResult result, Outcome outcome, String error, Integer status,
                        boolean deadLetter) {
        Event event = result.finish(outcome, error);
        Message message = exchange.getMessage();
        Events.toMessage(event, message);
        message.setHeader(HttpActionConstants.OUTCOME, outcome.segment());
        message.setHeader(HttpActionConstants.DEAD_LETTER, deadLetter);
        if (status != null) {
            message.setHeader(HttpActionConstants.STATUS, status);
        } else {
            message.removeHeader(HttpActionConstants.STATUS);
        }
        if (outcome != Outcome.OK) {
            LOG.debug("http-action {}: {}: {}", endpoint.getName(), outcome.segment(), error);
            if (endpoint.isThrowOnFailure()) {
                exchange.setException(new HttpActionException(event));
            }
        }
    }
}
