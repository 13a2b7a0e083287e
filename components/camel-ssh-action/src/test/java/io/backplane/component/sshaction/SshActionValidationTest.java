package io.backplane.component.sshaction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import io.backplane.core.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad options and bad inventories fail early with an error naming the problem. */
class SshActionValidationTest extends SshActionTestSupport {

    private void assertEndpointError(String uri, String message) {
        // Camel's ResolveEndpointFailedException carries our message: "... due to: <message>"
        assertThatThrownBy(() -> context.getEndpoint(uri)).hasMessageContaining(message);
    }

    private void assertRouteStartError(String uri, String message) {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        })).hasMessageContaining(message);
    }

    @Test
    void badOptionsAreRefusedWhenTheEndpointIsCreated() throws Exception {
        Path inv = inventory("web01", 22, null, null);
        start();
        String base = "ssh-action:restart?inventory=" + inv;
        assertEndpointError("ssh-action:restart?inventory=" + inv, "ssh-action:restart needs the option command");
        assertEndpointError(base + "&command=", "needs the option command");
        assertEndpointError("ssh-action:re/start?command=true", "ssh-action name 're/start' may contain only letters");
        assertEndpointError(base + "&command=RAW(echo ${data.x)", "command: template has an unclosed '${'");
        assertEndpointError(base + "&command=RAW(echo ${$(id)})", "command: template placeholder '${$(id)}'");
        assertEndpointError(base + "&command=true&host=RAW(${a b})", "host: template placeholder");
        assertEndpointError(base + "&command=true&timeout=0", "timeout must be positive, got 0");
        assertEndpointError(base + "&command=true&connectTimeout=0", "connectTimeout must be positive");
        assertEndpointError(base + "&command=true&maxOutput=-1", "maxOutput must be positive, got -1");
        assertEndpointError(base + "&command=true&maxPerHost=0", "maxPerHost must be positive, got 0");
        assertThatThrownBy(() -> context.getEndpoint(base + "&command=true&colour=red"))
                .hasMessageContaining("colour");
    }

    @Test
    void durationsAcceptMillisecondsAndUnits() throws Exception {
        start();
        SshActionEndpoint e = context.getEndpoint("ssh-action:a?command=true&timeout=2m&connectTimeout=1500",
                SshActionEndpoint.class);
        assertThat(e.getTimeout()).isEqualTo(120_000);
        assertThat(e.getConnectTimeout()).isEqualTo(1500);
        SshActionEndpoint defaults = context.getEndpoint("ssh-action:b?command=true", SshActionEndpoint.class);
        assertThat(defaults.getTimeout()).isEqualTo(30_000);
        assertThat(defaults.getHost()).isEqualTo("${subject}");
        assertThat(defaults.getMaxOutput()).isEqualTo(16384);
        assertThat(defaults.getMaxPerHost()).isEqualTo(2);
        assertThat(defaults.isReuseConnections()).isTrue();
    }

    @Test
    void camelDecodesCommandsUnlessRaw() throws Exception {
        start();
        // why the doc page writes commands as RAW(...): Camel URI-decodes option values
        assertThat(context.getEndpoint("ssh-action:a?command=echo a+b", SshActionEndpoint.class).getCommand())
                .isEqualTo("echo a b");
        assertThat(context.getEndpoint("ssh-action:b?command=RAW(echo a+b %d & c)", SshActionEndpoint.class)
                .getCommand()).isEqualTo("echo a+b %d & c");
    }

    @Test
    void aConsumerIsRefused() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("ssh-action:x?command=true").to("direct:nowhere");
            }
        })).rootCause().hasMessageContaining("ssh-action is an actor: use it in to:, not in from:");
    }

    @Test
    void withoutAnInventoryTheRouteDoesNotStart() {
        assertRouteStartError("ssh-action:restart?command=true", "ssh-action:restart needs an inventory: set the "
                + "endpoint option inventory, the component option inventory or the application property "
                + "backplane.inventory");
    }

    @Test
    void aMissingInventoryFileStopsTheRoute() {
        Path missing = dir.resolve("missing.yaml");
        assertRouteStartError("ssh-action:restart?command=true&inventory=" + missing,
                "cannot read inventory " + missing);
    }

    @Test
    void aBrokenInventoryStopsTheRoute() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "all:\n  hosts:\n    'bad host': {}\n");
        assertRouteStartError("ssh-action:restart?command=true&inventory=" + broken,
                "host name 'bad host' may contain only letters, digits");
    }

    @Test
    void anInventoryBrokenLaterFailsActions() throws Exception {
        Path inv = inventory("web01", 22, null, null);
        start();
        String uri = "ssh-action:restart?command=true&inventory=" + inv;
        template.requestBody(uri, event("db99", Map.of()), Event.class); // starts the producer
        Files.writeString(inv, "all: [not, a, mapping]\n");
        Event result = act(uri, event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/restart/failed");
        assertThat(text(result, "error")).contains("inventory " + inv, "must be a mapping");
    }

    @Test
    void theInventoryComesFromTheApplicationPropertyOrTheComponent() throws Exception {
        Path fromProperty = inventory("a.yaml", "web01", 22, null, null);
        Path fromComponent = inventory("b.yaml", "web01", 22, null, null);
        context.getPropertiesComponent().addInitialProperty("backplane.inventory", fromProperty.toString());
        start();
        Event viaProperty = act("ssh-action:one?command=true", event("db99", Map.of()));
        assertThat(text(viaProperty, "error")).isEqualTo("host 'db99' is not in the inventory " + fromProperty
                + "; nothing was run");

        context.getComponent("ssh-action", SshActionComponent.class).setInventory(fromComponent.toString());
        Event viaComponent = act("ssh-action:two?command=true", event("db99", Map.of()));
        assertThat(text(viaComponent, "error")).contains("inventory " + fromComponent);

        Event viaEndpoint = act("ssh-action:three?command=true&inventory=" + fromProperty, event("db99", Map.of()));
        assertThat(text(viaEndpoint, "error")).contains("inventory " + fromProperty);
    }

    @Test
    void aNonPositiveIdleTimeoutStopsTheComponent() {
        context.getComponent("ssh-action", SshActionComponent.class).setIdleTimeout(0);
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("ssh-action:x?command=true&inventory=/nonexistent");
            }
        })).rootCause().hasMessageContaining("idleTimeout must be positive, got 0 ms");
    }

    @Test
    void aHostKeyEntryThatIsNotAKeyIsRefused() throws Exception {
        // the inventory only checks the shape "<type> <base64>"; the actor finds it is not a key
        Path inv = inventory("web01", 22, "ssh-ed25519 AAAAAAAAAAAAAAAAAAAAAAAA", dir.resolve("key"));
        start();
        Event result = act("ssh-action:a?command=true&inventory=" + inv, event("web01", Map.of()));
        assertThat(result.type()).isEqualTo("action/ssh/a/refused");
        assertThat(text(result, "error")).contains("host 'web01' has a backplane_host_keys entry that is not a "
                + "usable public key", "in the inventory " + inv);
    }

    @Test
    void aKeyFileWithoutAKeyFails() throws Exception {
        try (TestSshServer server = TestSshServer.start(dir)) {
            Path inv = inventory("web01", server.port(), server.hostKeyLine(), dir.resolve("key"));
            Files.writeString(dir.resolve("key"), "not a key");
            start();
            Event result = act("ssh-action:a?command=true&inventory=" + inv, event("web01", Map.of()));
            assertThat(result.type()).isEqualTo("action/ssh/a/failed");
            assertThat(text(result, "error")).isEqualTo("private key file " + dir.resolve("key") + " holds no key");
            assertThat(server.sessionsCreated()).isZero();
        }
    }
}
