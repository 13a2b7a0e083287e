package io.backplane.component.beacon;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;

/**
 * The {@code beacon:} component. It owns what its endpoints share: one OSHI {@link SystemInfo} (creating it costs
 * tens of milliseconds and it caches hardware details), the host name, and one scheduler thread on which all beacons
 * poll, one after the other (a beacon's reading takes milliseconds; no need for a thread each).
 */
@Component("beacon")
public class BeaconComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BeaconComponent.class);

    @Metadata(description = "The host name put into the tags and the subject of every beacon's events (an endpoint's "
                            + "host option overrides it). Default: this machine's short host name (up to the first "
                            + "dot).")
    private String host;

    @Metadata(label = "advanced", defaultValue = "1",
              description = "Threads of the scheduler shared by all beacon endpoints of this component.")
    private int schedulerThreads = 1;

    private SystemInfo systemInfo;
    private String localHost;
    private ScheduledExecutorService scheduler;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BeaconEndpoint endpoint = new BeaconEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The OSHI entry point, created on first use and shared by all endpoints. */
    synchronized SystemInfo systemInfo() {
        if (systemInfo == null) {
            systemInfo = new SystemInfo();
        }
        return systemInfo;
    }

    /** The host name for tags and subjects: the component's host option, else the short name of this machine. */
    synchronized String hostName() {
        if (host != null && !host.isBlank()) {
            return host;
        }
        if (localHost == null) {
            localHost = shortName(detectHostName());
        }
        return localHost;
    }

    private String detectHostName() {
        try {
            String name = systemInfo().getOperatingSystem().getNetworkParams().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (RuntimeException e) {
            LOG.debug("OSHI could not tell the host name", e);
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            LOG.warn("cannot determine this host's name ({}); beacon events use 'localhost': set the beacon "
                     + "component's host option", e.getMessage());
            return "localhost";
        }
    }

    static String shortName(String hostName) {
        String name = hostName.trim();
        int dot = name.indexOf('.');
        // an IP address stays whole
        if (dot > 0 && !Character.isDigit(name.charAt(0))) {
            name = name.substring(0, dot);
        }
        return name;
    }

    synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            if (schedulerThreads < 1) {
                throw new IllegalArgumentException("schedulerThreads of the beacon component must be >= 1, was "
                                                   + schedulerThreads);
            }
            scheduler = getCamelContext().getExecutorServiceManager()
                    .newScheduledThreadPool(this, "beacon", schedulerThreads);
        }
        return scheduler;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // routes (and so their consumers) are stopped before their component
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdown(scheduler);
            scheduler = null;
        }
        super.doStop();
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getSchedulerThreads() {
        return schedulerThreads;
    }

    public void setSchedulerThreads(int schedulerThreads) {
        this.schedulerThreads = schedulerThreads;
    }
}
