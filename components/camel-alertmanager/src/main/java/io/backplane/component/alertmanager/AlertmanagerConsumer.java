package io.backplane.component.alertmanager;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.EventCodec;
import io.backplane.core.Events;
import io.backplane.core.InvalidEventException;
import io.backplane.core.http.HttpAuth;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the endpoint's path on Camel's platform HTTP server through an internal
 * {@code platform-http:<path>?httpMethodRestrict=POST} consumer. Each request is authenticated, read and checked
 * whole, then its alerts go through this consumer's route one by one, synchronously, on the HTTP worker thread; the
 * answer is sent when the last one is done, so a 200 means every alert was processed by the route.
 */
public class AlertmanagerConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerConsumer.class);

    private final AlertmanagerEndpoint endpoint;
    private final HttpAuth auth;
    private final WebhookParser parser;
    private final int maxBodyBytes;
    private RepeatFilter repeats;
    private Consumer http;

    public AlertmanagerConsumer(AlertmanagerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.auth = HttpAuth.of(endpoint.getToken(), endpoint.getUsername(), endpoint.getPassword());
        this.parser = new WebhookParser(endpoint.subjectLabels());
        this.maxBodyBytes = endpoint.getMaxBodyBytes();
    }

    @Override
    public AlertmanagerEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        repeats = endpoint.isSuppressRepeats()
                ? new RepeatFilter(endpoint.getSuppressRepeatsMaxEntries(), endpoint.getSuppressRepeatsExpiry(),
                        System::nanoTime)
                : null;
        CamelContext context = endpoint.getCamelContext();
        if (context.isStarted()) {
            openHttp();
        } else {
            // open the path only once every route has started, so that no alert is accepted (and answered 200)
            // before the rules listening on the bus are there to see it
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext c, boolean alreadyStarted) throws Exception {
                    if (isStarted()) {
                        openHttp();
                    }
                }
            });
        }
    }

    @Override
    protected void doStop() throws Exception {
        closeHttp();
        super.doStop();
    }

    private synchronized void openHttp() throws Exception {
        if (http != null) {
            return;
        }
        String path = endpoint.getPath();
        PlatformHttpEndpoint httpEndpoint = endpoint.getCamelContext()
                .getEndpoint("platform-http:" + path + "?httpMethodRestrict=POST", PlatformHttpEndpoint.class);
        for (HttpEndpointModel served : httpEndpoint.getComponent().getHttpEndpoints()) {
            if (path.equals(served.getUri())) {
                throw new IllegalStateException("HTTP path " + path + " is already served by another route; give "
                                                + "each alertmanager: endpoint its own path");
            }
        }
        Consumer consumer = httpEndpoint.createConsumer(this::onRequest);
        ServiceHelper.startService(consumer);
        http = consumer;
        if (auth.isOpen()) {
            LOG.info("alertmanager:{} has no token or username: anyone who can reach the HTTP server may post "
                     + "alerts", path);
        }
    }

    private synchronized void closeHttp() {
        if (http != null) {
            ServiceHelper.stopAndShutdownService(http);
            http = null;
        }
    }

    /** The platform-http processor: answers every request itself and never throws. */
    private void onRequest(Exchange exchange) {
        Message in = exchange.getMessage();
        String authorization = in.getHeader("Authorization", String.class);
        Answer answer;
        String challenge = null;
        if (!auth.accepts(authorization)) {
            answer = error(401, auth.refusal(authorization));
            challenge = auth.challenge();
        } else {
            answer = handle(exchange);
        }
        // answer with our headers only: nothing of the request (its Authorization above all) is echoed back
        in.removeHeaders("*");
        if (challenge != null) {
            in.setHeader("WWW-Authenticate", challenge);
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(new String(EventCodec.toJsonBytes(answer.body()), StandardCharsets.UTF_8));
    }

    private Answer handle(Exchange exchange) {
        List<WebhookParser.Alert> alerts;
        try {
            alerts = parser.parse(readBody(exchange));
        } catch (InvalidEventException e) {
            return error(e.isTooLarge() ? 413 : 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("alertmanager:{}: cannot read the request: {}", endpoint.getPath(), e.toString());
            return error(400, "cannot read the request body: " + e.getMessage());
        }
        return emit(alerts);
    }

    private byte[] readBody(Exchange exchange) {
        Message in = exchange.getMessage();
        // refuse a declared oversize body before copying it
        Long declared = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw InvalidEventException.tooLarge("request body", declared, maxBodyBytes);
        }
        byte[] body = in.getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            throw InvalidEventException.tooLarge("request body", body.length, maxBodyBytes);
        }
        return body;
    }

    /** Sends each alert through the route, in order; stops at the first the route fails (the sender retries). */
    private Answer emit(List<WebhookParser.Alert> alerts) {
        int accepted = 0;
        int suppressed = 0;
        for (int i = 0; i < alerts.size(); i++) {
            WebhookParser.Alert alert = alerts.get(i);
            if (repeats != null && !repeats.admit(alert.repeatKey(), alert.repeatState())) {
                suppressed++;
                continue;
            }
            Exchange exchange = createExchange(false);
            Exception failure;
            try {
                Message message = exchange.getIn();
                Events.toMessage(alert.event(), message);
                message.setHeader(AlertmanagerConstants.SENDER, alert.sender());
                message.setHeader(AlertmanagerConstants.ALERT_INDEX, i);
                message.setHeader(AlertmanagerConstants.ALERT_COUNT, alerts.size());
                getProcessor().process(exchange);
                failure = exchange.getException();
                if (failure != null) {
                    // the route's error handler has logged it with its stack trace already
                    LOG.warn("alertmanager:{}: the route failed for {}: {}; answering 500 so that the sender retries",
                             endpoint.getPath(), alert.event().type(), failure.getMessage());
                }
            } catch (Exception e) {
                failure = e;
                getExceptionHandler().handleException("alertmanager:" + endpoint.getPath() + ": cannot process "
                                                      + alert.event().type(), exchange, e);
            }
            if (failure != null) {
                releaseExchange(exchange, false);
                if (repeats != null) {
                    repeats.forget(alert.repeatKey(), alert.repeatState());
                }
                Answer answer = error(500, "the route failed for alerts[" + i + "] (" + alert.event().type()
                                           + "): " + failure.getMessage());
                answer.body().put("accepted", accepted);
                answer.body().put("suppressed", suppressed);
                return answer;
            }
            releaseExchange(exchange, false);
            accepted++;
        }
        Map<String, Object> answer = new LinkedHashMap<>(2);
        answer.put("accepted", accepted);
        answer.put("suppressed", suppressed);
        return new Answer(200, answer);
    }

    private record Answer(int status, Map<String, Object> body) {
    }

    private static Answer error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("error", message);
        body.put("status", status);
        return new Answer(status, body);
    }
}
