package io.backplane.component.bus;

import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code backplane-bus} in {@code /observe/health}: DOWN while the transport is not connected (no hub answered,
 * no Kafka partitions assigned), with the dispatch counters as details.
 */
final class BusHealthCheck implements HealthCheck {

    private final BusComponent component;
    private boolean enabled = true;

    BusHealthCheck(BusComponent component) {
        this.component = component;
    }

    @Override
    public String getGroup() {
        return "backplane";
    }

    @Override
    public String getId() {
        return "backplane-bus";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this);
        Bus bus = component.currentBus();
        if (bus == null) {
            return result.down().message("bus not started").build();
        }
        result.detail("transport", bus.describe());
        result.detail("received", bus.received.sum());
        result.detail("dispatched", bus.dispatched.sum());
        result.detail("invalid", bus.invalid.sum());
        return bus.isReady() ? result.up().build()
                : result.down().message("not connected: " + bus.describe()).build();
    }
}
