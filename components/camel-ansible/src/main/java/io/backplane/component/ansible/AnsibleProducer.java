package io.backplane.component.ansible;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.Events;
import io.backplane.core.action.ActionResult;
import io.backplane.core.action.ActionResult.Outcome;
import io.backplane.core.template.TemplateException;
import io.backplane.inventory.Host;
import io.backplane.inventory.Inventory;
import io.backplane.inventory.InventoryException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Runs one ansible-playbook (or ansible) process per exchange and replaces the body with the result event
 * {@code action/ansible/<name>/<outcome>}. Everything that comes from the event is checked before anything runs:
 * the limit must be a host or group of the inventory, and the event reaches Ansible only as data (an extra-vars file
 * whose strings Ansible never templates), never on the command line.
 */
public class AnsibleProducer extends DefaultProducer {

    static final String ACTOR = "ansible";

    private final AnsibleEndpoint endpoint;
    private final AnsibleRunner runner = new AnsibleRunner();
    private Path playbook;
    private Path ansibleConfig;
    private String lockAction;

    public AnsibleProducer(AnsibleEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public AnsibleEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // a route naming a missing playbook or no inventory at all is a configuration error: fail when it starts
        if (endpoint.isPlaybookRun()) {
            playbook = Path.of(endpoint.getPlaybook()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(playbook) || !Files.isReadable(playbook)) {
                throw new IllegalArgumentException("ansible:" + endpoint.getName() + ": playbook " + playbook
                                                   + " does not exist or cannot be read");
            }
            lockAction = "playbook " + playbook;
        } else {
            lockAction = "module " + endpoint.getModule() + " " + (endpoint.getArgs() == null ? "" : endpoint.getArgs());
        }
        if (inventoryFile() == null) {
            throw new IllegalArgumentException("ansible:" + endpoint.getName() + " has no inventory: set the option "
                                               + "inventory or the property " + AnsibleComponent.INVENTORY_PROPERTY);
        }
        if (endpoint.getAnsibleConfig() != null) {
            ansibleConfig = Path.of(endpoint.getAnsibleConfig()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(ansibleConfig)) {
                throw new IllegalArgumentException("ansible:" + endpoint.getName() + ": ansibleConfig " + ansibleConfig
                                                   + " does not exist");
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        // no ansible process outlives the route that started it
        runner.killAll();
        super.doStop();
    }

    private String inventoryFile() {
        String own = endpoint.getInventory();
        return own != null && !own.isBlank() ? own : endpoint.getComponent().defaultInventory();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Event result = act(exchange);
        Events.toMessage(result, exchange.getMessage());
        if (endpoint.isThrowOnFailure() && !Outcome.OK.segment().equals(result.data().get("outcome"))) {
            exchange.setException(new AnsibleActionException(result));
        }
    }

    private Event act(Exchange exchange) throws InterruptedException {
        Event cause;
        try {
            cause = Events.fromExchange(exchange, EventCodec.defaults(), null);
        } catch (RuntimeException e) {
            return start(null).finish(Outcome.REFUSED, "the message is not an event: " + e.getMessage());
        }
        ActionResult result = start(cause);
        String limit;
        try {
            limit = endpoint.limitTemplate().render(cause);
        } catch (TemplateException e) {
            return result.finish(Outcome.REFUSED, "cannot choose the hosts (limit " + endpoint.getLimit() + "): "
                                                  + e.getMessage());
        }
        result.subject(limit).put("limit", limit);

        Inventory inventory;
        try {
            inventory = Inventory.load(Path.of(inventoryFile()));
        } catch (InventoryException e) {
            return result.finish(Outcome.FAILED, e.getMessage());
        }
        List<Host> targets;
        try {
            targets = inventory.targets(limit);
        } catch (InventoryException e) {
            return result.finish(Outcome.REFUSED, e.getMessage());
        }
        if (targets.isEmpty()) {
            return result.finish(Outcome.REFUSED, "group '" + limit + "' of the inventory " + inventory.origin()
                                                  + " has no hosts");
        }
        for (Host host : targets) {
            if (host.hostKeys().isEmpty() && !isLocal(host.vars())) {
                return result.finish(Outcome.REFUSED, "host '" + host.name() + "' has no " + Inventory.HOST_KEYS_VAR
                                                      + " in the inventory " + inventory.origin()
                                                      + ": Backplane verifies host keys and will not connect to it");
            }
        }
        String reserved = AnsibleRunner.reservedKey(cause);
        if (reserved != null) {
            return result.finish(Outcome.REFUSED, "the event contains the key '" + reserved + "', which Ansible "
                                                  + "would read as a vaulted or special value");
        }
        String program = endpoint.isPlaybookRun() ? "ansible-playbook" : "ansible";
        String configured = endpoint.isPlaybookRun() ? endpoint.getAnsiblePlaybookBinary() : endpoint.getAnsibleBinary();
        Path binary = findBinary(configured);
        if (binary == null) {
            return result.finish(Outcome.FAILED, configured.contains("/")
                    ? program + " not found at " + configured
                    : program + " not found on PATH (" + System.getenv().getOrDefault("PATH", "") + ")");
        }

        List<String> hosts = targets.stream().map(Host::name).toList();
        try (Locks.Held held = endpoint.isLock()
                ? endpoint.getComponent().locks().acquire(lockAction, hosts, endpoint.getLockWait())
                : null) {
            if (held != null && !held.acquired()) {
                String what = endpoint.isPlaybookRun()
                        ? "playbook " + endpoint.getPlaybook()
                        : "module " + endpoint.getModule();
                return result.finish(Outcome.REFUSED, what + " already running on " + held.busyHost());
            }
            AnsibleRunner.Run run = new AnsibleRunner.Run(program, binary, command(binary, limit, inventoryFile()),
                    inventory.knownHostsLines(), cause, ansibleConfig, endpoint.isPipelining(),
                    endpoint.getSshControlPersist(), endpoint.getTimeout(), endpoint.getMaxOutput(),
                    !endpoint.isPlaybookRun());
            return runner.run(run, result);
        }
    }

    private ActionResult start(Event cause) {
        ActionResult result = ActionResult.start(ACTOR, endpoint.getName(), cause).maxOutput(endpoint.getMaxOutput());
        if (endpoint.isPlaybookRun()) {
            result.put("playbook", endpoint.getPlaybook());
        } else {
            result.put("module", endpoint.getModule());
            if (endpoint.getArgs() != null) {
                result.put("args", endpoint.getArgs());
            }
        }
        return result;
    }

    /** The command line: fixed words from the route and a validated host or group name; no shell in between. */
    private List<String> command(Path binary, String limit, String inventory) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("-i");
        command.add(Path.of(inventory).toAbsolutePath().toString());
        if (endpoint.isPlaybookRun()) {
            command.add("--limit");
            command.add(limit);
            command.add("--extra-vars");
            command.add(AnsibleRunner.EXTRA_VARS_PLACEHOLDER);
            command.add(playbook.toString());
        } else {
            command.add("-m");
            command.add(endpoint.getModule());
            if (endpoint.getArgs() != null) {
                command.add("-a");
                command.add(endpoint.getArgs());
            }
            command.add("--extra-vars");
            command.add(AnsibleRunner.EXTRA_VARS_PLACEHOLDER);
            // the host pattern is checked against the inventory's names, which cannot start with '-'
            command.add(limit);
        }
        return command;
    }

    /** The program at a path, or the first executable of that name on PATH; null when there is none. */
    static Path findBinary(String configured) {
        if (configured.contains("/")) {
            Path path = Path.of(configured);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? path.toAbsolutePath() : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, configured);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** A host Ansible runs on without SSH ({@code ansible_connection: local}) needs no host key. */
    static boolean isLocal(Map<String, Object> vars) {
        return "local".equals(String.valueOf(vars.get("ansible_connection")));
    }
}
