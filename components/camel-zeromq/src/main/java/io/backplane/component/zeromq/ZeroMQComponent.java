package io.backplane.component.zeromq;

import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.zeromq.ZContext;

/**
 * The {@code zeromq:} component. It owns one ZeroMQ context ({@link ZContext}) shared by all its endpoints (so
 * {@code inproc://} addresses connect routes of the same Camel context) and the ZAP handler that authenticates CURVE
 * clients for that context.
 */
@Component("zeromq")
public class ZeroMQComponent extends DefaultComponent {

    @Metadata(label = "advanced", defaultValue = "1",
              description = "Number of ZeroMQ I/O threads of the component's shared ZeroMQ context. One is enough "
                            + "for most uses; ZeroMQ suggests one per gigabit per second of traffic.")
    private int ioThreads = 1;

    private ZContext zContext;
    private ZapHandler zapHandler;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ZeroMQEndpoint endpoint = new ZeroMQEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The shared ZeroMQ context, created on first use. */
    synchronized ZContext getZContext() {
        if (zContext == null || zContext.isClosed()) {
            zContext = new ZContext(ioThreads);
            zapHandler = new ZapHandler(zContext);
        }
        return zContext;
    }

    /** Registers a CURVE server's allowed client keys; returns the ZAP domain to set on its socket. */
    String registerCurveClients(Set<String> allowedClientKeys) {
        getZContext();
        synchronized (this) {
            return zapHandler.register(allowedClientKeys);
        }
    }

    synchronized void unregisterCurveClients(String zapDomain) {
        if (zapHandler != null) {
            zapHandler.unregister(zapDomain);
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // routes (and so all consumers and producers) are stopped before their component
        if (zapHandler != null) {
            zapHandler.stop();
            zapHandler = null;
        }
        if (zContext != null) {
            zContext.close();
            zContext = null;
        }
        super.doStop();
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }
}
