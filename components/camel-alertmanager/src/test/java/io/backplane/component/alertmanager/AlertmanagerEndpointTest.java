package io.backplane.component.alertmanager;

import java.net.http.HttpResponse;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options checked when the route starts, and the HTTP path following the route's life. */
class AlertmanagerEndpointTest extends AlertmanagerTestSupport {

    private static final String PAYLOAD = "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"r\",\"alerts\":"
                                          + "[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"}}]}";

    private void assertRouteFails(String uri, String message) throws Exception {
        createContext();
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:alerts");
            }
        })).satisfies(e -> assertThat(rootMessage(e)).as(uri).contains(message));
        context.close();
        context = null;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    @Test
    void badOptionsFailTheRouteWithAClearError() throws Exception {
        assertRouteFails("alertmanager:/hooks/am?username=am", "username and password go together");
        assertRouteFails("alertmanager:/hooks/am?password=secret", "username and password go together");
        assertRouteFails("alertmanager:/hooks/am?maxBodyBytes=0", "maxBodyBytes must be positive, got 0");
        assertRouteFails("alertmanager:/hooks/am?suppressRepeatsMaxEntries=0",
                "suppressRepeatsMaxEntries must be positive");
        assertRouteFails("alertmanager:/hooks/am?suppressRepeatsExpiry=0", "suppressRepeatsExpiry must be positive");
        assertRouteFails("alertmanager:/hooks/am?subjectLabel=,", "subjectLabel must name at least one label");
        assertRouteFails("alertmanager:/hooks/{id}", "may not contain");
        assertRouteFails("alertmanager:/hooks/*", "may not contain");
        assertRouteFails("alertmanager:/hooks/am?bogus=1", "Unknown parameters=[{bogus=1}]");
    }

    @Test
    void itIsAConsumerOnly() {
        createContext();
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").to("alertmanager:/hooks/am");
            }
        })).satisfies(e -> assertThat(rootMessage(e)).contains("can only be used in from:"));
    }

    @Test
    void twoRoutesCannotServeOnePath() {
        createContext();
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("alertmanager:/hooks/am").to("mock:a");
                from("alertmanager:/hooks/am?token=x").to("mock:b");
            }
        })).satisfies(e -> assertThat(rootMessage(e))
                .isEqualTo("HTTP path /hooks/am is already served by another route; give each alertmanager: "
                           + "endpoint its own path"));
    }

    @Test
    void optionsAreParsed() throws Exception {
        createContext();
        AlertmanagerEndpoint e = context.getEndpoint(
                "alertmanager:hooks/am?suppressRepeatsExpiry=90m&subjectLabel= pod , instance", AlertmanagerEndpoint.class);
        assertThat(e.getPath()).isEqualTo("/hooks/am");
        assertThat(e.getSuppressRepeatsExpiry()).isEqualTo(90 * 60 * 1000L);
        assertThat(e.subjectLabels()).containsExactly("pod", "instance");
        assertThat(e.getMaxBodyBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(e.isSuppressRepeats()).isFalse();
        assertThat(e.getSuppressRepeatsMaxEntries()).isEqualTo(10000);
        assertThat(e.getSuppressRepeatsExpiry()).isEqualTo(90 * 60 * 1000L);
    }

    @Test
    void thePathFollowsTheRoute() throws Exception {
        createContext();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:unused").to("mock:unused");
            }
        });
        assertThat(post("/hooks/am", PAYLOAD).statusCode()).isEqualTo(404);
        // a route added to a running context opens its path at once
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("alertmanager:hooks/am").routeId("am").to("mock:alerts");
            }
        });
        MockEndpoint alerts = context.getEndpoint("mock:alerts", MockEndpoint.class);
        assertThat(post("/hooks/am", PAYLOAD).statusCode()).isEqualTo(200);
        context.getRouteController().stopRoute("am");
        HttpResponse<String> stopped = post("/hooks/am", PAYLOAD);
        assertThat(stopped.statusCode()).isEqualTo(404);
        context.getRouteController().startRoute("am");
        assertThat(post("/hooks/am", PAYLOAD).statusCode()).isEqualTo(200);
        assertThat(alerts.getReceivedCounter()).isEqualTo(2);
    }
}
