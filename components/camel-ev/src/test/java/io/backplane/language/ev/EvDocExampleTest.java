package io.backplane.language.ev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.backplane.component.bus.BusComponent;
import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the YAML route of docs/components/ev.md ("## Example") as written there, on a real bus. */
class EvDocExampleTest {

    private CamelContext context;

    @AfterEach
    void close() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    static String exampleYaml() throws Exception {
        String doc = Files.readString(Path.of("../../docs/components/ev.md"));
        int section = doc.indexOf("\n## Example");
        assertThat(section).as("the doc page has an Example section").isPositive();
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        int end = doc.indexOf("```", start);
        return doc.substring(start, end);
    }

    private static Event disk(String host, String mount, Object used, String service) {
        return Event.builder("monitor/disk/" + host + "/firing").subject(host)
                .data(service == null ? Map.of("mount", mount, "used_percent", used)
                                      : Map.of("mount", mount, "used_percent", used, "service", service))
                .build();
    }

    @Test
    void theExampleRoutesDiskAlertsAsTheDocSays() throws Exception {
        context = new DefaultCamelContext();
        BusComponent bus = new BusComponent();
        bus.setPublishPort(Ports.free());
        bus.setSubscribePort(Ports.free());
        context.addComponent("bus", bus);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("disk-rules.yaml", exampleYaml()));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String target : new String[] { "page-dba", "page-web", "ignore", "ticket" }) {
                    from("direct:" + target).to("mock:" + target);
                }
            }
        });
        context.start();

        MockEndpoint dba = context.getEndpoint("mock:page-dba", MockEndpoint.class);
        MockEndpoint web = context.getEndpoint("mock:page-web", MockEndpoint.class);
        MockEndpoint ignore = context.getEndpoint("mock:ignore", MockEndpoint.class);
        MockEndpoint ticket = context.getEndpoint("mock:ticket", MockEndpoint.class);
        dba.expectedHeaderReceived("summary", "disk /data at 93% on db01");
        dba.expectedMessageCount(1);
        web.expectedMessageCount(2);
        ignore.expectedMessageCount(1);
        ticket.expectedMessageCount(2);
        ticket.message(0).header("used").isEqualTo(91);

        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody("bus", disk("db01", "/data", 93, "postgres"));        // page-dba
        template.sendBody("bus", disk("web01", "/", 97, "web"));               // page-web
        template.sendBody("bus", disk("web02", "/", 91, "web"));               // ticket (not above 95)
        template.sendBody("bus", disk("job01", "/scratch", 99, "batch"));      // ignore
        template.sendBody("bus", disk("job02", "/scratch", 99, "batch-critical")); // page-web
        template.sendBody("bus", disk("db02", "/", 95, null));                 // ticket: no service
        template.sendBody("bus", disk("db03", "/data", 80, "postgres"));       // below 90: filtered out
        template.sendBody("bus", Event.builder("monitor/cpu/web01/firing").data(Map.of("load", 9)).build());

        MockEndpoint.assertIsSatisfied(10, TimeUnit.SECONDS, dba, web, ignore, ticket);
        // the choice of the example is the indexed one
        long indexed = context.getRoute("disk-rules").filter("*").stream()
                .filter(p -> p instanceof IndexedChoiceProcessor).count();
        assertThat(indexed).isEqualTo(1);
    }
}
