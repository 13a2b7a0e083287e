package io.backplane.component.sshaction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import io.backplane.core.template.Template;
import io.backplane.core.template.TemplateException;
import io.backplane.inventory.Inventory;

/**
 * Run a shell command on an inventory host over SSH (host keys always verified against the inventory, every event
 * value shell-quoted) and turn the exchange into the action's result event (action/ssh/name/outcome).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "ssh-action", title = "SSH Action", syntax = "ssh-action:name",
             producerOnly = true, category = { Category.MANAGEMENT }, headersClass = SshActionConstants.class)
public class SshActionEndpoint extends DefaultEndpoint {

    @UriPath(description = "The action's name: the third segment of its result events (action/ssh/<name>/ok). "
                           + "Letters, digits, '.', '_' and '-'.")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "The command, a template: ${path} placeholders (subject, data.service, ...) are filled "
                            + "from the triggering event, each as one single-quoted shell word, so no event value "
                            + "can add a command. The whole text is run by the login shell of the remote user. A "
                            + "missing value refuses the action.")
    @Metadata(required = true)
    private String command;

    @UriParam(defaultValue = "${subject}",
              description = "Which inventory host to act on, a template (placeholders as in command, filled as is). "
                            + "The result must be a host name of the inventory: anything else fails the action "
                            + "without connecting anywhere.")
    private String host = "${subject}";

    @UriParam(defaultValue = "30000", javaType = "java.time.Duration",
              description = "Time limit for the whole action (milliseconds, or a duration such as 30s): waiting for "
                            + "a per-host slot, connecting and running. When it runs out the command is killed "
                            + "(SIGKILL to its process group) and the result is timeout.")
    private long timeout = 30_000;

    @UriParam(defaultValue = "10000", javaType = "java.time.Duration",
              description = "Time limit for connecting and logging in (milliseconds, or a duration such as 10s), "
                            + "within timeout. A host that does not answer in time gives a failed result.")
    private long connectTimeout = 10_000;

    @UriParam(defaultValue = "16384",
              description = "Bytes of stdout and of stderr kept each; the rest is counted and dropped (the command "
                            + "is not blocked), and the result says it was truncated.")
    private int maxOutput = 16384;

    @UriParam(defaultValue = "2",
              description = "How many commands of this endpoint may run on one host at a time; more wait (the wait "
                            + "counts toward timeout). Keep it at or below the server's MaxSessions (OpenSSH: 10) "
                            + "when connections are reused.")
    private int maxPerHost = 2;

    @UriParam(description = "SSH user for hosts whose inventory entry has no ansible_user. Default: the user running "
                            + "Camel.")
    private String user;

    @UriParam(description = "Private key file (OpenSSH or PEM format, without passphrase) for hosts whose inventory "
                            + "entry has no ansible_ssh_private_key_file.")
    private String privateKeyFile;

    @UriParam(description = "Inventory file for this endpoint; default: the component's inventory option, else the "
                            + "application property " + SshActionComponent.INVENTORY_PROPERTY + ".")
    private String inventory;

    @UriParam(defaultValue = "true",
              description = "Keep one authenticated connection per host and run each command as a channel of it. "
                            + "false: connect, log in and disconnect for every action.")
    private boolean reuseConnections = true;

    @UriParam(label = "advanced", defaultValue = "false",
              description = "Run the command on a terminal (pty). Then a command that runs out of time dies with "
                            + "its terminal (hangup) even where the server ignores the kill signal (OpenSSH on root "
                            + "logins). Costs: stderr arrives mixed into stdout, and programs may behave as on a "
                            + "terminal (colours, pagers).")
    private boolean usePty;

    @UriParam(defaultValue = "false",
              description = "Also throw an SshActionException when the outcome is not ok, for Camel error handling "
                            + "(onException, redelivery). The body is the result event either way.")
    private boolean failOnError;

    private Template commandTemplate;
    private Template hostTemplate;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    public SshActionEndpoint(String uri, SshActionComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public SshActionComponent getComponent() {
        return (SshActionComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new SshActionProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("ssh-action is an actor: use it in to:, not in from:");
    }

    /** Checks the options and compiles the templates once; called when the endpoint is created. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ssh-action needs a name: ssh-action:<name>?command=...");
        }
        if (!Inventory.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("ssh-action name '" + name
                                               + "' may contain only letters, digits, '.', '_' and '-'");
        }
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("ssh-action:" + name + " needs the option command");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ssh-action:" + name + ": host must not be empty (default ${subject})");
        }
        try {
            commandTemplate = Template.compile(command, Template.Escaping.SHELL);
        } catch (TemplateException e) {
            throw new IllegalArgumentException("ssh-action:" + name + ": command: " + e.getMessage(), e);
        }
        try {
            hostTemplate = Template.compile(host, Template.Escaping.TEXT);
        } catch (TemplateException e) {
            throw new IllegalArgumentException("ssh-action:" + name + ": host: " + e.getMessage(), e);
        }
        positive("timeout", timeout);
        positive("connectTimeout", connectTimeout);
        positive("maxOutput", maxOutput);
        positive("maxPerHost", maxPerHost);
    }

    private void positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("ssh-action:" + name + ": " + option + " must be positive, got " + value);
        }
    }

    /** The per-host limit of concurrent commands of this endpoint. */
    Semaphore slots(String hostName) {
        return slots.computeIfAbsent(hostName, h -> new Semaphore(maxPerHost, true));
    }

    Template commandTemplate() {
        return commandTemplate;
    }

    Template hostTemplate() {
        return hostTemplate;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getCommand() {
        return command;
    }

    public void setCommand(String command) {
        this.command = command;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getMaxOutput() {
        return maxOutput;
    }

    public void setMaxOutput(int maxOutput) {
        this.maxOutput = maxOutput;
    }

    public int getMaxPerHost() {
        return maxPerHost;
    }

    public void setMaxPerHost(int maxPerHost) {
        this.maxPerHost = maxPerHost;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPrivateKeyFile() {
        return privateKeyFile;
    }

    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public String getInventory() {
        return inventory;
    }

    public void setInventory(String inventory) {
        this.inventory = inventory;
    }

    public boolean isReuseConnections() {
        return reuseConnections;
    }

    public void setReuseConnections(boolean reuseConnections) {
        this.reuseConnections = reuseConnections;
    }

    public boolean isUsePty() {
        return usePty;
    }

    public void setUsePty(boolean usePty) {
        this.usePty = usePty;
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }
}
