package io.backplane.component.sshaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.backplane.core.Event;

/** One Camel context per test, a temporary directory for inventories, keys and marker files. */
abstract class SshActionTestSupport {

    @TempDir
    Path dir;

    protected DefaultCamelContext context;
    protected ProducerTemplate template;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    protected void start(RoutesBuilder... routes) throws Exception {
        for (RoutesBuilder r : routes) {
            context.addRoutes(r);
        }
        context.start();
        template = context.createProducerTemplate();
    }

    /** Writes an inventory with one host {@code name} reachable at 127.0.0.1:port. */
    protected Path inventory(String name, int port, String hostKeyLine, Path keyFile) throws IOException {
        return inventory("inventory.yaml", name, port, hostKeyLine, keyFile);
    }

    protected Path inventory(String file, String name, int port, String hostKeyLine, Path keyFile) throws IOException {
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n    " + name + ":\n"
                + "      ansible_host: 127.0.0.1\n"
                + "      ansible_port: " + port + "\n"
                + "      ansible_user: " + System.getProperty("user.name") + "\n");
        if (keyFile != null) {
            yaml.append("      ansible_ssh_private_key_file: ").append(keyFile).append('\n');
        }
        if (hostKeyLine != null) {
            yaml.append("      backplane_host_keys: \"").append(hostKeyLine).append("\"\n");
        }
        Path path = dir.resolve(file);
        Files.writeString(path, yaml);
        return path;
    }

    static Event event(String subject, Map<String, ?> data) {
        return Event.builder("test/trigger").subject(subject).data(data).build();
    }

    /** Sends the event to the endpoint and returns the result event the body became. */
    protected Event act(String uri, Event event) {
        return template.requestBody(uri, event, Event.class);
    }

    static Object data(Event event, String field) {
        return event.data().get(field);
    }

    static String text(Event event, String field) {
        return (String) event.data().get(field);
    }
}
