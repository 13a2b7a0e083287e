package io.backplane.component.probe;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code probe:} component. All its probes share a few threads (see {@link ProbeRuntime}): one scheduler,
 * {@code workerThreads}, {@code ioThreads} and, with http probes, {@code httpThreads}, however many probes there are.
 * They are created when the first probe starts and ended when the component stops.
 */
@Component("probe")
public class ProbeComponent extends DefaultComponent {

    @Metadata(label = "advanced", defaultValue = "2",
              description = "Threads that start checks (resolving host names) and route the events. Routes that "
                            + "block for long (a slow to) delay other probes: hand slow work to seda: if needed.")
    private int workerThreads = 2;

    @Metadata(label = "advanced", defaultValue = "1",
              description = "Threads for TCP and TLS socket I/O (asynchronous: a waiting check holds no thread) and "
                            + "TLS certificate verification.")
    private int ioThreads = 1;

    @Metadata(label = "advanced", defaultValue = "2",
              description = "Threads of the shared JDK HTTP client(s) that http probes use (created with the first "
                            + "http probe).")
    private int httpThreads = 2;

    private ProbeRuntime runtime;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ProbeEndpoint endpoint = new ProbeEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The shared threads and clients, created on first use. */
    synchronized ProbeRuntime runtime() throws Exception {
        if (runtime == null) {
            requireAtLeastOne("workerThreads", workerThreads);
            requireAtLeastOne("ioThreads", ioThreads);
            requireAtLeastOne("httpThreads", httpThreads);
            runtime = new ProbeRuntime(getCamelContext(), workerThreads, ioThreads, httpThreads);
        }
        return runtime;
    }

    private static void requireAtLeastOne(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
    }

    @Override
    protected void doStop() throws Exception {
        // routes (and so all consumers) are stopped before their component
        ProbeRuntime r;
        synchronized (this) {
            r = runtime;
            runtime = null;
        }
        if (r != null) {
            r.shutdown();
        }
        super.doStop();
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public int getHttpThreads() {
        return httpThreads;
    }

    public void setHttpThreads(int httpThreads) {
        this.httpThreads = httpThreads;
    }
}
