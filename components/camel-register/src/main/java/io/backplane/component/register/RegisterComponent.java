package io.backplane.component.register;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code register:} component. It holds the registers by name: endpoints with the same name (in one Camel
 * context) share one register, so one route can update it and another read it. A background task evicts idle keys
 * once a second, so memory is released even when no event comes.
 */
@Component("register")
public class RegisterComponent extends DefaultComponent {

    @Metadata(label = "advanced",
              description = "The clock of arrival times, idle eviction and reads (nanoseconds, monotonic). Default: "
                            + "System.nanoTime. Set it to replay or test with a controlled clock.")
    private RegisterClock clock;

    private final Map<String, Register> registers = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RegisterEndpoint endpoint = new RegisterEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /**
     * The register with this name, created with these settings if there is none yet; refused when one exists with
     * other settings.
     */
    Register registerFor(String name, RegisterSettings settings) {
        Register r = registers.computeIfAbsent(name, n -> new Register(n, settings, clock));
        if (!r.settings().equals(settings)) {
            throw new IllegalArgumentException(
                    "register:" + name + " is already updated with " + r.settings().describe()
                                               + "; every endpoint updating one register must give the same window, "
                                               + "size, maxSamples, maxKeys, idleTimeout, timestamp, alpha and "
                                               + "maxKeyLength, but this one has " + settings.describe());
        }
        return r;
    }

    /** The register with this name, or null when no endpoint updating it has been created. */
    public Register getRegister(String name) {
        return registers.get(name);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        sweeper = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "RegisterIdleSweep");
        sweeper.scheduleWithFixedDelay(this::sweepAll, 1, 1, TimeUnit.SECONDS);
    }

    private void sweepAll() {
        for (Register r : registers.values()) {
            r.sweep();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (sweeper != null) {
            getCamelContext().getExecutorServiceManager().shutdown(sweeper);
            sweeper = null;
        }
        super.doStop();
    }

    public RegisterClock getClock() {
        return clock;
    }

    public void setClock(RegisterClock clock) {
        this.clock = clock;
    }
}
