package io.backplane.component.alertmanager;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code alertmanager:} component: receives Prometheus Alertmanager and Grafana webhook notifications on a path of
 * Camel's platform HTTP server and emits one Backplane event per alert.
 */
@Component("alertmanager")
public class AlertmanagerComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        AlertmanagerEndpoint endpoint = new AlertmanagerEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
