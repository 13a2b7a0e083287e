package io.backplane.component.ansible;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.test.Ports;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML route of docs/components/ansible.md, as written there except for the playbook path: bus in, bus out. */
class AnsibleYamlRouteTest extends AnsibleTestSupport {

    static final String ROUTE = """
            - route:
                id: restart-nginx-when-down
                from:
                  uri: bus:monitor/alertmanager/NginxDown/firing
                  steps:
                    - to:
                        uri: ansible:restart-nginx
                        parameters:
                          playbook: playbooks/restart-nginx.yml
                          timeout: 5m
                    - to: bus
            """;

    @Override
    @BeforeEach
    void startCamel() throws Exception {
        // the bus needs its ports before it starts; routes are added to a started context below
        context = new DefaultCamelContext();
        context.getPropertiesComponent().addInitialProperty("backplane.inventory", inventory.toString());
        context.getPropertiesComponent().addInitialProperty("backplane.bus.zeromq.publish-port", String.valueOf(Ports.free()));
        context.getPropertiesComponent().addInitialProperty("backplane.bus.zeromq.subscribe-port", String.valueOf(Ports.free()));
        context.start();
        template = context.createProducerTemplate();
    }

    @Test
    void anAlertOnTheBusRunsThePlaybookAndTheResultGoesBackOnTheBus() throws Exception {
        Path out = dir.resolve("restarted.txt");
        // stands in for the doc's service restart: it writes down which service it would restart, and where
        Path playbook = write("playbooks/restart-nginx.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: restart the service named by the alert
                      ansible.builtin.copy:
                        dest: %s
                        content: "restart {{ event.data.labels.service }} on {{ event.subject }}"
                """.formatted(out));
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("ansible.yaml",
                ROUTE.replace("playbooks/restart-nginx.yml", playbook.toString())));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:action/ansible/**").to("mock:results");
            }
        });
        MockEndpoint results = context.getEndpoint("mock:results", MockEndpoint.class);

        Event alert = Event.builder("monitor/alertmanager/NginxDown/firing").subject("web01")
                .data(Map.of("labels", Map.of("service", "nginx"))).build();
        template.sendBody("bus", alert);

        await().atMost(Duration.ofSeconds(60)).until(() -> results.getReceivedCounter() > 0);
        Event result = results.getReceivedExchanges().get(0).getMessage().getBody(Event.class);
        assertThat(result.type()).isEqualTo("action/ansible/restart-nginx/ok");
        assertThat(result.causationId()).isEqualTo(alert.id());
        assertThat(result.subject()).isEqualTo("web01");
        assertThat(host(result, "web01")).containsEntry("changed", 1);
        assertThat(Files.readString(out)).isEqualTo("restart nginx on web01");
    }
}
