package io.backplane.component.beacon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.Tags;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Watches one metric of this host (load, CPU, memory, swap, disk, a process) and emits Backplane events when it
 * crosses a threshold, moves more than a deadband, or on every poll, as Salt's beacons do.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "beacon", title = "Beacon", syntax = "beacon:metric",
             consumerOnly = true, category = { Category.MONITORING }, headersClass = BeaconConstants.class)
public class BeaconEndpoint extends DefaultEndpoint {

    static final String HIGH = "high";
    static final String NORMAL = "normal";
    static final String RUNNING = "running";
    static final String STOPPED = "stopped";

    @UriPath(enums = "load,cpu,memory,swap,disk,process",
             description = "What to watch: load (load average), cpu (busy %), memory (used %), swap (used %), disk "
                           + "(used % per mount point) or process (running or not, by name).")
    @Metadata(required = true)
    private String metric;

    @UriParam(defaultValue = "10s", javaType = "java.time.Duration",
              description = "Time between two readings, e.g. 10s, 1m, or milliseconds.")
    private long interval = 10_000;

    @UriParam(defaultValue = "1s", javaType = "java.time.Duration",
              description = "Time from the start of the route to the first reading. It is also the window over "
                            + "which the first CPU percentage is measured.")
    private long initialDelay = 1_000;

    @UriParam(description = "Threshold: the state becomes high when the value is at or over it. Not for process.")
    private Double above;

    @UriParam(description = "Hysteresis: a high state becomes normal again only when the value is at or under "
                            + "below (must not be greater than above). Default: above (normal again as soon as the "
                            + "value is under above).")
    private Double below;

    @UriParam(description = "For emit=change: emit only when the value moved more than this since the last emitted "
                            + "value (in the metric's unit, or percent of that value with deadbandMode=percent). "
                            + "Default 0: any change. Setting it makes emit default to change.")
    private Double deadband;

    @UriParam(defaultValue = "absolute", enums = "absolute,percent",
              description = "How deadband is measured: absolute (in the metric's unit) or percent (of the last "
                            + "emitted value).")
    private DeadbandMode deadbandMode = DeadbandMode.absolute;

    @UriParam(enums = "always,change,threshold",
              description = "When to emit: always (every reading), change (the value moved more than deadband, or "
                            + "the state changed) or threshold (the state changed). Default: threshold when above is "
                            + "set and for process, change when deadband is set, else always.")
    private EmitMode emit;

    @UriParam(defaultValue = "true",
              description = "Emit the first reading after the route starts (reason initial), whatever the emit mode, "
                            + "so that rules learn the current state; false = only remember it.")
    private boolean emitOnStart = true;

    @UriParam(label = "disk",
              description = "disk: comma-separated mount points to watch, e.g. / or /,/var. Each must exist when the "
                            + "route starts. Default: every local file system.")
    private String mount;

    @UriParam(label = "process",
              description = "process (required): comma-separated process names, e.g. sshd. A process matches when its "
                            + "name (as ps shows it) or the file name of its executable equals one of them.")
    private String name;

    @UriParam(label = "load", defaultValue = "1", enums = "1,5,15",
              description = "load: which load average is the value: 1, 5 or 15 (minutes). All three are in the data.")
    private int average = 1;

    @UriParam(description = "The host name for the tag and the subject. Default: the component's host option, else "
                            + "this machine's short host name.")
    private String host;

    private BeaconMetric parsedMetric;

    public BeaconEndpoint(String uri, BeaconComponent component, String metric) {
        super(uri, component);
        this.metric = metric;
    }

    @Override
    public BeaconComponent getComponent() {
        return (BeaconComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("beacon: only emits events (from: beacon:" + metric + "); it cannot "
                                                + "be sent to");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        BeaconConsumer consumer = new BeaconConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Checks the options and their combinations; called when the endpoint is created. */
    void validate() {
        parsedMetric = BeaconMetric.of(metric);
        if (interval <= 0) {
            throw new IllegalArgumentException("interval must be a positive duration such as 10s or 1m, was " + interval
                                               + " ms");
        }
        if (initialDelay < 0) {
            throw new IllegalArgumentException("initialDelay must be >= 0, was " + initialDelay + " ms");
        }
        String where = "beacon:" + parsedMetric.id();
        if (parsedMetric == BeaconMetric.PROCESS) {
            if (processNames().isEmpty()) {
                throw new IllegalArgumentException(where + " needs name=<process name>, e.g. beacon:process?name=sshd");
            }
            if (above != null || below != null) {
                throw new IllegalArgumentException(where + " has no thresholds (above, below): its state is "
                                                   + RUNNING + " or " + STOPPED);
            }
        } else if (name != null) {
            throw new IllegalArgumentException("name applies to beacon:process only, not " + where);
        }
        if (mount != null && parsedMetric != BeaconMetric.DISK) {
            throw new IllegalArgumentException("mount applies to beacon:disk only, not " + where);
        }
        if (parsedMetric == BeaconMetric.DISK && mount != null && mounts().isEmpty()) {
            throw new IllegalArgumentException(where + ": mount is empty; leave it out to watch every local file "
                                               + "system");
        }
        if (parsedMetric == BeaconMetric.LOAD) {
            if (average != 1 && average != 5 && average != 15) {
                throw new IllegalArgumentException("average must be 1, 5 or 15 (minutes), was " + average);
            }
        } else if (average != 1) {
            throw new IllegalArgumentException("average applies to beacon:load only, not " + where);
        }
        if (deadband != null && effectiveEmit() != EmitMode.change) {
            throw new IllegalArgumentException("deadband applies to emit=change, not emit=" + effectiveEmit());
        }
        try {
            newFilter();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    BeaconMetric metric() {
        return parsedMetric;
    }

    /** The emit mode: the option, else the default for the other options. */
    EmitMode effectiveEmit() {
        if (emit != null) {
            return emit;
        }
        if (above != null || parsedMetric == BeaconMetric.PROCESS) {
            return EmitMode.threshold;
        }
        return deadband != null ? EmitMode.change : EmitMode.always;
    }

    /** A filter for one series of this beacon (one per mount or process name). */
    BeaconFilter newFilter() {
        if (parsedMetric == BeaconMetric.PROCESS) {
            // running from one matching process on; stopped at none
            return new BeaconFilter(effectiveEmit(), 1.0, 0.0, deadband == null ? 0 : deadband, deadbandMode,
                    emitOnStart, RUNNING, STOPPED);
        }
        return new BeaconFilter(effectiveEmit(), above, below, deadband == null ? 0 : deadband, deadbandMode,
                emitOnStart, HIGH, NORMAL);
    }

    String hostName() {
        return host != null && !host.isBlank() ? host : getComponent().hostName();
    }

    /** {@code monitor/beacon/<host>/<metric>}. */
    String tag() {
        return "monitor/beacon/" + Tags.segment(hostName()) + "/" + parsedMetric.id();
    }

    /** The event for one emitted reading. */
    Event event(MetricReader.Reading reading, BeaconFilter.Decision decision) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metric", parsedMetric.id());
        data.put("value", number(decision.value()));
        data.put("unit", parsedMetric.unit());
        if (decision.state() != null) {
            data.put("state", decision.state());
        }
        if (decision.previousState() != null) {
            data.put("previousState", decision.previousState());
        }
        if (decision.previousValue() != null) {
            data.put("previousValue", number(decision.previousValue()));
        }
        data.put("reason", decision.reason());
        if (above != null) {
            data.put("above", above);
            data.put("below", below != null ? below : above);
        }
        data.putAll(reading.details());
        String hostName = hostName();
        return Event.builder(tag())
                .subject(hostName)
                .source("backplane/beacon/" + Tags.segment(hostName))
                .data(data)
                .build();
    }

    /** Process counts are whole numbers and read better without ".0". */
    private Object number(double value) {
        return parsedMetric == BeaconMetric.PROCESS ? (Object) Math.round(value) : (Object) value;
    }

    List<String> mounts() {
        return splitList(mount);
    }

    List<String> processNames() {
        return splitList(name);
    }

    private static List<String> splitList(String commaSeparated) {
        List<String> items = new ArrayList<>();
        if (commaSeparated != null) {
            for (String item : commaSeparated.split(",")) {
                if (!item.isBlank() && !items.contains(item.trim())) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public long getInterval() {
        return interval;
    }

    public void setInterval(long interval) {
        this.interval = interval;
    }

    public long getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(long initialDelay) {
        this.initialDelay = initialDelay;
    }

    public Double getAbove() {
        return above;
    }

    public void setAbove(Double above) {
        this.above = above;
    }

    public Double getBelow() {
        return below;
    }

    public void setBelow(Double below) {
        this.below = below;
    }

    public Double getDeadband() {
        return deadband;
    }

    public void setDeadband(Double deadband) {
        this.deadband = deadband;
    }

    public DeadbandMode getDeadbandMode() {
        return deadbandMode;
    }

    public void setDeadbandMode(DeadbandMode deadbandMode) {
        this.deadbandMode = deadbandMode;
    }

    public EmitMode getEmit() {
        return emit;
    }

    public void setEmit(EmitMode emit) {
        this.emit = emit;
    }

    public boolean isEmitOnStart() {
        return emitOnStart;
    }

    public void setEmitOnStart(boolean emitOnStart) {
        this.emitOnStart = emitOnStart;
    }

    public String getMount() {
        return mount;
    }

    public void setMount(String mount) {
        this.mount = mount;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getAverage() {
        return average;
    }

    public void setAverage(int average) {
        this.average = average;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }
}
