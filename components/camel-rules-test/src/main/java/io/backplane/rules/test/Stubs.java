package io.backplane.rules.test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.EndpointStrategy;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultInterceptSendToEndpoint;

/**
 * Which endpoints a rule test replaces by mocks, and the replacing. Like Camel's {@code mockEndpointsAndSkip}, each
 * stubbed endpoint becomes an intercepting endpoint in front of a {@link MockEndpoint}; unlike it, the real producer
 * is never created or started, so an actor that checks binaries, keys or hosts when it starts (ansible:, ssh:) does
 * not need them in a test. An actor scheme whose component is not on the classpath gets a placeholder component, so
 * rules can be tested without the actor's jar at all.
 */
final class Stubs implements EndpointStrategy {

    /** The actors of a rule: everything that reaches outside the process. */
    static final List<String> DEFAULT_SCHEMES = List.of("http", "https", "ssh", "ssh-action", "http-action", "ansible",
            "exec");

    private static final Pattern SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):");

    private final Set<String> schemes;
    private final List<String> globs;
    private final List<Pattern> patterns = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private CamelContext context;

    Stubs(Set<String> schemes, List<String> globs) {
        this.schemes = new LinkedHashSet<>(schemes);
        this.globs = List.copyOf(globs);
        for (String g : globs) {
            patterns.add(UriGlob.compile(g));
        }
    }

    /** Registers placeholder components for missing actor schemes and the stubbing strategy; before routes load. */
    void install(CamelContext camelContext) {
        this.context = camelContext;
        Set<String> placeholders = new LinkedHashSet<>(schemes);
        for (String glob : globs) {
            // "kafka:*" names its scheme: stub it even when camel-kafka is not on the classpath
            java.util.regex.Matcher m = SCHEME.matcher(glob);
            if (m.lookingAt()) {
                placeholders.add(m.group(1));
            }
        }
        for (String scheme : placeholders) {
            if (camelContext.getComponent(scheme, true) == null) {
                camelContext.addComponent(scheme, new PlaceholderComponent());
            }
        }
        camelContext.getCamelContextExtension().registerEndpointCallback(this);
    }

    boolean isStubbed(String uri) {
        int colon = uri.indexOf(':');
        if (colon > 0 && schemes.contains(uri.substring(0, colon))) {
            return true;
        }
        for (Pattern p : patterns) {
            if (UriGlob.matches(p, uri)) {
                return true;
            }
        }
        return false;
    }

    Set<String> schemes() {
        return schemes;
    }

    List<String> globs() {
        return globs;
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof InterceptSendToEndpoint || endpoint instanceof MockEndpoint
            || !isStubbed(endpoint.getEndpointUri())) {
            return endpoint;
        }
        MockEndpoint mock = context.getEndpoint("mock:rules-test-stub-" + counter.incrementAndGet(), MockEndpoint.class);
        return new StubbedEndpoint(endpoint, mock);
    }

    /** The intercepting endpoint: sending goes to the mock only. */
    static final class StubbedEndpoint extends DefaultInterceptSendToEndpoint {
        private final MockEndpoint mock;

        StubbedEndpoint(Endpoint original, MockEndpoint mock) {
            super(original, true);
            this.mock = mock;
        }

        MockEndpoint mock() {
            return mock;
        }

        @Override
        public Producer createProducer() throws Exception {
            return createAsyncProducer();
        }

        @Override
        public AsyncProducer createAsyncProducer() throws Exception {
            return mock.createAsyncProducer();
        }

        @Override
        public void start() {
            mock.start(); // not the original: it is never used
        }

        @Override
        public void stop() {
            mock.stop();
        }
    }

    /** Stands in for an actor component that is not on the classpath: takes any options, is always stubbed. */
    static final class PlaceholderComponent extends DefaultComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            parameters.clear();
            return new PlaceholderEndpoint(uri, this);
        }
    }

    static final class PlaceholderEndpoint extends DefaultEndpoint {
        PlaceholderEndpoint(String uri, PlaceholderComponent component) {
            super(uri, component);
        }

        @Override
        public boolean isLenientProperties() {
            return true;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException(getEndpointUri() + " has no component here; it must be stubbed");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("cannot consume from " + getEndpointUri()
                                                    + ": its component is not on the classpath of the rule test");
        }
    }
}
