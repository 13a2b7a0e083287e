package io.backplane.component.httpaction;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code http-action:} component. It owns what its endpoints share: the circuit breakers (one per target
 * {@code scheme://host:port}, so two rules calling the same service see the same circuit) and the camel-http
 * endpoints that send (one per target and timeout, so connections are pooled per target).
 * <p>
 * The sending is done by a camel-http component private to this component, configured for an actor: HttpClient's
 * own retries are off (they would re-send a 503 behind our back and make the attempt count wrong; retries are ours)
 * and redirects are not followed (a redirect could take a request with its credentials to another host).
 */
@Component("http-action")
public class HttpActionComponent extends DefaultComponent {

    /** camel-http endpoint and started producer for one target and timeout. */
    record Sender(Endpoint endpoint, Producer producer) {
    }

    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private HttpComponent http;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        HttpActionEndpoint endpoint = new HttpActionEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    CircuitBreaker breaker(String target) {
        return breakers.computeIfAbsent(target, t -> new CircuitBreaker(t, clock));
    }

    /** The camel-http sender for {@code base} (scheme://host[:port]) with this per-attempt timeout. */
    Sender sender(String base, long timeoutMillis) {
        return senders.computeIfAbsent(base + "|" + timeoutMillis, key -> {
            try {
                // throwExceptionOnFailure=false: every status comes back as a response to classify, not an exception
                Endpoint endpoint = http().createEndpoint(base + "?throwExceptionOnFailure=false"
                                                          + "&connectTimeout=" + timeoutMillis
                                                          + "&responseTimeout=" + timeoutMillis
                                                          + "&soTimeout=" + timeoutMillis
                                                          + "&connectionRequestTimeout=" + timeoutMillis);
                ServiceHelper.startService(endpoint);
                Producer producer = endpoint.createProducer();
                ServiceHelper.startService(producer);
                return new Sender(endpoint, producer);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the camel-http endpoint for " + base + ": "
                                                + e.getMessage(), e);
            }
        });
    }

    private synchronized HttpComponent http() {
        if (http == null) {
            HttpComponent c = new HttpComponent();
            c.setCamelContext(getCamelContext());
            c.setAutomaticRetriesDisabled(true);
            c.setRedirectHandlingDisabled(true);
            ServiceHelper.startService(c);
            http = c;
        }
        return http;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // routes (and so our producers) are stopped before their component
        for (Sender s : senders.values()) {
            ServiceHelper.stopAndShutdownServices(s.producer(), s.endpoint());
        }
        senders.clear();
        if (http != null) {
            ServiceHelper.stopAndShutdownService(http);
            http = null;
        }
        breakers.clear();
        super.doStop();
    }
}
