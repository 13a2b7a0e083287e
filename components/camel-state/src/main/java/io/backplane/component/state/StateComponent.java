package io.backplane.component.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.backplane.core.Durations;
import io.backplane.gate.GateService;
import io.backplane.gate.Gates;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code state:} component: owns the process's {@link FactStore} (one per Camel context, opened when the
 * component starts) and its deploy gates ({@link GateService}). Every option can also be set as a
 * {@code backplane.state.*} / {@code backplane.gates.*} application property, which wins over the component's own
 * configuration.
 */
@Component("state")
public class StateComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(StateComponent.class);

    @Metadata(defaultValue = "data/state.json",
              description = "The state file (JSON Lines, relative to the working directory), or 'none' to keep facts "
                            + "in memory only. Property backplane.state.file.")
    private String file = "data/state.json";
    @Metadata(defaultValue = "fail", enums = "fail,start-empty",
              description = "A corrupt state file at start: fail (do not start; the file stays, a copy is kept as "
                            + "FILE.corrupt-TIMESTAMP) or start-empty (the file is moved to FILE.corrupt-TIMESTAMP "
                            + "and the store starts empty). Property backplane.state.on-corrupt.")
    private String onCorrupt = "fail";
    @Metadata(defaultValue = "100000", description = "Most facts held; a set beyond it is refused once expired facts "
                                                     + "are purged. Property backplane.state.max-keys.")
    private int maxKeys = FactStore.Settings.DEFAULT_MAX_KEYS;
    @Metadata(defaultValue = "65536", description = "Largest value, in bytes of JSON; larger sets are refused. "
                                                    + "Property backplane.state.max-value-bytes.")
    private int maxValueBytes = FactStore.Settings.DEFAULT_MAX_VALUE_BYTES;
    @Metadata(defaultValue = "67108864", description = "All facts together, in bytes of JSON (about the state file "
                                                       + "after compaction); sets beyond are refused. Property "
                                                       + "backplane.state.max-bytes.")
    private long maxBytes = FactStore.Settings.DEFAULT_MAX_BYTES;
    @Metadata(defaultValue = "5", description = "Milliseconds between a change and the fsync of the state file: what "
                                                + "a crash of the machine can lose (a crash of the process loses "
                                                + "nothing). 0 = fsync every change. Property "
                                                + "backplane.state.sync-interval.")
    private long syncInterval = FactStore.Settings.DEFAULT_SYNC_INTERVAL;
    @Metadata(defaultValue = "8388608", description = "Compact the state file when it is over this many bytes and over "
                                                      + "twice the live facts. Property backplane.state.compact-bytes.")
    private long compactBytes = FactStore.Settings.DEFAULT_COMPACT_BYTES;
    @Metadata(defaultValue = "1000", description = "Milliseconds between purges of expired facts (they vanish on read "
                                                   + "in any case; the purge frees memory and closes or opens gates). "
                                                   + "Property backplane.state.purge-interval.")
    private long purgeInterval = 1000;
    @Metadata(description = "The gates file. Default: gates.yaml in the working directory if present, else "
                            + "conf/gates.yaml, else BACKPLANE_HOME/conf/gates.yaml; 'none' for no gates. Property "
                            + "backplane.gates.file.")
    private String gatesFile;
    @Metadata(defaultValue = "10000", description = "Milliseconds between re-evaluations of every gate (they are also "
                                                    + "re-evaluated at every change of a fact they depend on). "
                                                    + "Property backplane.gates.check-interval.")
    private long gatesCheckInterval = 10_000;

    private LongSupplier clock = System::currentTimeMillis;
    private FactStore store;
    private GateService gateService;
    private ScheduledExecutorService storeExecutor;
    private ScheduledExecutorService gateExecutor;
    private ScheduledFuture<?> purge;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StateEndpoint endpoint = new StateEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        applyProperty("backplane.state.file", v -> file = v);
        applyProperty("backplane.state.on-corrupt", v -> onCorrupt = v);
        applyProperty("backplane.state.max-keys", v -> maxKeys = Integer.parseInt(v));
        applyProperty("backplane.state.max-value-bytes", v -> maxValueBytes = Integer.parseInt(v));
        applyProperty("backplane.state.max-bytes", v -> maxBytes = Long.parseLong(v));
        applyProperty("backplane.state.sync-interval", v -> syncInterval = millis(v));
        applyProperty("backplane.state.compact-bytes", v -> compactBytes = Long.parseLong(v));
        applyProperty("backplane.state.purge-interval", v -> purgeInterval = millis(v));
        applyProperty("backplane.gates.file", v -> gatesFile = v);
        applyProperty("backplane.gates.check-interval", v -> gatesCheckInterval = millis(v));
    }

    private static long millis(String v) {
        return Durations.parse(v, "a backplane.state/gates interval");
    }

    private void applyProperty(String key, Consumer<String> setter) {
        PropertiesComponent properties = getCamelContext().getPropertiesComponent();
        properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                setter.accept(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("property " + key + " must be a number or duration, got '" + v
                                                   + "'", e);
            }
        });
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (purgeInterval <= 0 || gatesCheckInterval <= 0) {
            throw new IllegalArgumentException("backplane.state.purge-interval and backplane.gates.check-interval "
                                               + "must be positive");
        }
        Path path = file == null || file.isBlank() || file.equals("none") ? null : Path.of(file);
        FactStore.Settings settings = new FactStore.Settings(path, FactStore.OnCorrupt.parse(onCorrupt), maxKeys,
                maxValueBytes, maxBytes, syncInterval, compactBytes);
        Path gatesPath = resolveGatesFile(gatesFile, Path.of(""), System.getProperty("backplane.home"));
        // read the gates before touching the state file: a bad gates file fails the start with nothing opened
        Gates gates = gatesPath == null ? Gates.none() : Gates.load(gatesPath);
        storeExecutor = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "state");
        gateExecutor = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "gates");
        try {
            store = FactStore.open(settings, clock, storeExecutor);
        } catch (RuntimeException e) {
            shutdownExecutors();
            throw e;
        }
        if (path == null) {
            LOG.info("state: facts are kept in memory only (backplane.state.file=none): they do not survive a "
                     + "restart");
        }
        purge = storeExecutor.scheduleWithFixedDelay(this::purge, purgeInterval, purgeInterval,
                TimeUnit.MILLISECONDS);
        gateService = new GateService(gates, store, clock, gateExecutor);
        gateService.start(gatesCheckInterval);
        if (gatesPath != null) {
            LOG.info("gates: {} from {}", gates.names(), gatesPath.toAbsolutePath());
        }
    }

    private void purge() {
        try {
            store.purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("purging expired facts failed: {}", e.toString());
        }
    }

    /**
     * The gates file to read: the configured one ('none' = no gates), else the first of gates.yaml, conf/gates.yaml
     * (in {@code workDir}) and {@code home}/conf/gates.yaml that exists, else null.
     */
    static Path resolveGatesFile(String configured, Path workDir, String home) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim().equals("none") ? null : workDir.resolve(configured.trim());
        }
        for (Path candidate : new Path[] { workDir.resolve("gates.yaml"), workDir.resolve("conf/gates.yaml"),
                                           home == null ? null : Path.of(home, "conf", "gates.yaml") }) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    protected void doStop() throws Exception {
        // routes (so all consumers and producers) are stopped before their component
        if (gateService != null) {
            gateService.stop();
        }
        if (purge != null) {
            purge.cancel(false);
        }
        shutdownExecutors();
        if (store != null) {
            store.close();
            store = null;
        }
        super.doStop();
    }

    private void shutdownExecutors() {
        if (gateExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(gateExecutor);
            gateExecutor = null;
        }
        if (storeExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(storeExecutor);
            storeExecutor = null;
        }
    }

    /** The facts; available once the component has started. */
    public FactStore store() {
        if (store == null) {
            throw new IllegalStateException("the state component is not started");
        }
        return store;
    }

    /** The gates; available once the component has started. */
    public GateService gateService() {
        if (gateService == null) {
            throw new IllegalStateException("the state component is not started");
        }
        return gateService;
    }

    /** The clock of TTLs (epoch milliseconds); for tests. Set before the component starts. */
    public void setClock(LongSupplier clock) {
        this.clock = clock;
    }

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public String getOnCorrupt() {
        return onCorrupt;
    }

    public void setOnCorrupt(String onCorrupt) {
        this.onCorrupt = onCorrupt;
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    public int getMaxValueBytes() {
        return maxValueBytes;
    }

    public void setMaxValueBytes(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    public long getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(long syncInterval) {
        this.syncInterval = syncInterval;
    }

    public long getCompactBytes() {
        return compactBytes;
    }

    public void setCompactBytes(long compactBytes) {
        this.compactBytes = compactBytes;
    }

    public long getPurgeInterval() {
        return purgeInterval;
    }

    public void setPurgeInterval(long purgeInterval) {
        this.purgeInterval = purgeInterval;
    }

    public String getGatesFile() {
        return gatesFile;
    }

    public void setGatesFile(String gatesFile) {
        this.gatesFile = gatesFile;
    }

    public long getGatesCheckInterval() {
        return gatesCheckInterval;
    }

    public void setGatesCheckInterval(long gatesCheckInterval) {
        this.gatesCheckInterval = gatesCheckInterval;
    }
}
