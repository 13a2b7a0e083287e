package io.backplane.component.sshaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import io.backplane.inventory.Inventory;
import io.backplane.inventory.InventoryException;

/**
 * The {@code ssh-action:} component: runs commands on inventory hosts over SSH and reports each run as a result
 * event. It owns the SSH client and the connections shared by all its endpoints (one authenticated session per host,
 * login and key), and the inventories they read (reloaded when their file changes).
 */
@Component("ssh-action")
public class SshActionComponent extends DefaultComponent {

    /** Application property naming the inventory file when neither endpoint nor component sets one. */
    public static final String INVENTORY_PROPERTY = "backplane.inventory";

    @Metadata(description = "The Ansible YAML inventory file listing the hosts actions may reach (with their address, "
                            + "port, user, key file and host keys). Default: the application property "
                            + INVENTORY_PROPERTY + ". An endpoint's inventory option overrides it.")
    private String inventory;

    @Metadata(defaultValue = "60000", javaType = "java.time.Duration",
              description = "Close a shared SSH connection after it was not used for this long (milliseconds, or a "
                            + "duration such as 2m). The next action to that host connects again.")
    private long idleTimeout = 60_000;

    private SshSessionPool pool;
    private ScheduledExecutorService reaper;
    private final Map<Path, LoadedInventory> inventories = new ConcurrentHashMap<>();

    private record LoadedInventory(FileTime modified, long size, Inventory inventory) {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SshActionEndpoint endpoint = new SshActionEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (idleTimeout <= 0) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout + " ms");
        }
        pool();
        long every = Math.max(200, Math.min(idleTimeout / 2, 10_000));
        reaper = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "ssh-action-idle");
        reaper.scheduleWithFixedDelay(() -> pool().closeIdle(idleTimeout), every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // routes, and with them every producer, stop before their component
        if (reaper != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(reaper);
            reaper = null;
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        super.doStop();
    }

    synchronized SshSessionPool pool() {
        if (pool == null) {
            pool = new SshSessionPool();
        }
        return pool;
    }

    /** The inventory file for an endpoint: its own option, else the component's, else the application property. */
    String inventoryPath(String endpointInventory) {
        if (endpointInventory != null && !endpointInventory.isBlank()) {
            return endpointInventory.trim();
        }
        if (inventory != null && !inventory.isBlank()) {
            return inventory.trim();
        }
        return getCamelContext().getPropertiesComponent().resolveProperty(INVENTORY_PROPERTY)
                .map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }

    /** The inventory in {@code file}, read again only when the file changed (edits apply without a restart). */
    Inventory inventory(String file) {
        Path path = Path.of(file);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory " + file + ": " + SshSessionPool.describe(e), e);
        }
        LoadedInventory loaded = inventories.get(path);
        if (loaded != null && loaded.modified().equals(attributes.lastModifiedTime())
                && loaded.size() == attributes.size()) {
            return loaded.inventory();
        }
        Inventory parsed = Inventory.load(path);
        inventories.put(path, new LoadedInventory(attributes.lastModifiedTime(), attributes.size(), parsed));
        return parsed;
    }

    /** Shared SSH connections open now (for monitoring, tests and benchmarks). */
    public int getOpenSessions() {
        SshSessionPool p = pool;
        return p == null ? 0 : p.openSessions();
    }

    /** SSH connections made since start (each a TCP connect, key exchange and login). */
    public int getConnectionsMade() {
        SshSessionPool p = pool;
        return p == null ? 0 : p.connectsMade();
    }

    public String getInventory() {
        return inventory;
    }

    public void setInventory(String inventory) {
        this.inventory = inventory;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }
}
