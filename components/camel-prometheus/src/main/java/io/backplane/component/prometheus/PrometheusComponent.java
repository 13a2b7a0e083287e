package io.backplane.component.prometheus;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code prometheus:} component. It owns one HTTP client shared by all its endpoints (one connection pool, one
 * selector thread), created on first use and released when the component stops.
 */
@Component("prometheus")
public class PrometheusComponent extends DefaultComponent {

    private HttpClient httpClient;
    private ExecutorService httpExecutor;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PrometheusEndpoint endpoint = new PrometheusEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The shared client, created on first use. */
    synchronized HttpClient httpClient() {
        if (httpClient == null) {
            // a Camel-managed pool for the client's internal work, so that stopping the component ends its threads
            httpExecutor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "prometheus-http");
            httpClient = HttpClient.newBuilder()
                    .executor(httpExecutor)
                    .version(HttpClient.Version.HTTP_1_1)
                    // a redirect would carry the Authorization header elsewhere: report it instead
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return httpClient;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // routes (and so all consumers) are stopped before their component
        if (httpClient != null) {
            // Java 21+ can close a client; on 17 its selector thread ends once the client is unreachable
            if (httpClient instanceof AutoCloseable) {
                ((AutoCloseable) httpClient).close();
            }
            httpClient = null;
        }
        if (httpExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(httpExecutor);
            httpExecutor = null;
        }
        super.doStop();
    }
}
