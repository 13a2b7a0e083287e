package io.backplane.component.ansible;

import java.util.regex.Pattern;

import io.backplane.core.action.ActionResult;
import io.backplane.core.template.Template;
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
 * Run an Ansible playbook (ansible-playbook) or one module (ansible, ad hoc) against hosts of the Backplane inventory
 * for each event, and turn the run into one result event with per-host counts.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "ansible", title = "Ansible", syntax = "ansible:name",
             producerOnly = true, category = { Category.MANAGEMENT, Category.SCRIPT })
public class AnsibleEndpoint extends DefaultEndpoint {

    static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    @UriPath(description = "The action's name: the third segment of the result tag action/ansible/NAME/OUTCOME.")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "The playbook file to run with ansible-playbook (relative paths are resolved against the "
                            + "working directory of the Java process). Exactly one of playbook and module is required.")
    private String playbook;

    @UriParam(description = "The module to run ad hoc with the ansible command (e.g. ansible.builtin.command, "
                            + "ansible.builtin.service) instead of a playbook.")
    private String module;

    @UriParam(description = "The module's arguments (ansible -a), fixed in the route: they are not a template and "
                            + "event values never reach them. Only with module.")
    private String args;

    @UriParam(defaultValue = "${subject}",
              description = "Which hosts to run on, a template rendered from the event (default: the event's "
                            + "subject). The result must be exactly one host or group name of the inventory: it is "
                            + "passed as --limit (playbooks) or as the host pattern (modules). Anything else "
                            + "(patterns, lists, unknown names) is refused and nothing runs.")
    private String limit = "${subject}";

    @UriParam(description = "The Backplane inventory file (an Ansible YAML inventory), passed with -i. Default: the "
                            + "component's inventory option, else the application property backplane.inventory.")
    private String inventory;

    @UriParam(javaType = "java.time.Duration", defaultValue = "10m",
              description = "How long a run may take. Past it the process and all its children are killed and the "
                            + "result is timeout.")
    private long timeout = 600_000;

    @UriParam(defaultValue = "true",
              description = "Never run this playbook (or module and args) twice at once on one host: a second "
                            + "action for a host that is busy waits up to lockWait, then is refused.")
    private boolean lock = true;

    @UriParam(javaType = "java.time.Duration", defaultValue = "0",
              description = "How long an action waits for a busy host before it is refused (0 = refuse at once). "
                            + "Waiting blocks the route's thread; it does not count toward timeout.")
    private long lockWait;

    @UriParam(label = "advanced", defaultValue = "ansible-playbook",
              description = "The ansible-playbook program: a path, or a name looked up on PATH.")
    private String ansiblePlaybookBinary = "ansible-playbook";

    @UriParam(label = "advanced", defaultValue = "ansible",
              description = "The ansible program (for module runs): a path, or a name looked up on PATH.")
    private String ansibleBinary = "ansible";

    @UriParam(label = "advanced",
              description = "An ansible.cfg to use (ANSIBLE_CONFIG). Default: an empty one, so no ansible.cfg of the "
                            + "working or home directory changes what runs. Backplane's own settings (callback, host "
                            + "key checking, ssh_args) still win over the file.")
    private String ansibleConfig;

    @UriParam(label = "advanced", defaultValue = "true",
              description = "Ansible pipelining (ANSIBLE_PIPELINING): fewer SSH connections per task. Turn it off "
                            + "for hosts whose sudoers still has requiretty.")
    private boolean pipelining = true;

    @UriParam(label = "advanced", javaType = "java.time.Duration", defaultValue = "5s",
              description = "Tasks of one run share one SSH connection per host (ControlMaster/ControlPersist): "
                            + "how long it stays open between two tasks. 0 turns sharing off. The control sockets "
                            + "live in the run's private temporary directory and the connections are closed when "
                            + "the run ends.")
    private long sshControlPersist = 5000;

    @UriParam(label = "advanced", defaultValue = "16384",
              description = "Upper bound, in characters, of each text in the result (stdout, stderr, error). The "
                            + "texts of the failures list and of the per-host module output share this budget "
                            + "(at least 128 characters each).")
    private int maxOutput = ActionResult.DEFAULT_MAX_OUTPUT;

    @UriParam(defaultValue = "false",
              description = "Also fail the exchange (an AnsibleActionException carrying the result event) when the "
                            + "outcome is not ok, for routes that want Camel error handling. By default a failed, "
                            + "refused or timed-out action is only reported in the result event and the route goes on.")
    private boolean throwOnFailure;

    private Template limitTemplate;

    public AnsibleEndpoint(String uri, AnsibleComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public AnsibleComponent getComponent() {
        return (AnsibleComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new AnsibleProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException("ansible: is an actor (a producer): use it in to:, not from:");
    }

    /** Checks the options; called when the endpoint is created, so a bad route fails when it starts. */
    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ansible: needs a name, e.g. ansible:restart-nginx?playbook=restart.yml");
        }
        boolean hasPlaybook = playbook != null && !playbook.isBlank();
        boolean hasModule = module != null && !module.isBlank();
        if (hasPlaybook == hasModule) {
            throw new IllegalArgumentException("ansible:" + name + " needs exactly one of playbook=<file.yml> or "
                                               + "module=<module name>" + (hasPlaybook ? ", not both" : ""));
        }
        if (hasModule && !MODULE_NAME.matcher(module).matches()) {
            throw new IllegalArgumentException("ansible:" + name + ": module '" + module
                                               + "' is not a module name like ansible.builtin.command");
        }
        if (args != null && !hasModule) {
            throw new IllegalArgumentException("ansible:" + name + ": args applies to module runs only; a playbook "
                                               + "gets the event as the extra variable 'event'");
        }
        if (limit == null || limit.isBlank()) {
            throw new IllegalArgumentException("ansible:" + name + ": limit must name a host or group, e.g. "
                                               + "${subject} or web");
        }
        limitTemplate = Template.compile(limit, Template.Escaping.TEXT);
        if (timeout <= 0) {
            throw new IllegalArgumentException("ansible:" + name + ": timeout must be positive, e.g. 10m");
        }
        if (lockWait < 0) {
            throw new IllegalArgumentException("ansible:" + name + ": lockWait must be 0 (refuse at once) or more");
        }
        if (sshControlPersist < 0) {
            throw new IllegalArgumentException("ansible:" + name + ": sshControlPersist must be 0 (off) or more");
        }
        if (maxOutput < 256) {
            throw new IllegalArgumentException("ansible:" + name + ": maxOutput must be at least 256 characters");
        }
    }

    boolean isPlaybookRun() {
        return playbook != null && !playbook.isBlank();
    }

    Template limitTemplate() {
        return limitTemplate;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPlaybook() {
        return playbook;
    }

    public void setPlaybook(String playbook) {
        this.playbook = playbook;
    }

    public String getModule() {
        return module;
    }

    public void setModule(String module) {
        this.module = module;
    }

    public String getArgs() {
        return args;
    }

    public void setArgs(String args) {
        this.args = args;
    }

    public String getLimit() {
        return limit;
    }

    public void setLimit(String limit) {
        this.limit = limit;
    }

    public String getInventory() {
        return inventory;
    }

    public void setInventory(String inventory) {
        this.inventory = inventory;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public boolean isLock() {
        return lock;
    }

    public void setLock(boolean lock) {
        this.lock = lock;
    }

    public long getLockWait() {
        return lockWait;
    }

    public void setLockWait(long lockWait) {
        this.lockWait = lockWait;
    }

    public String getAnsiblePlaybookBinary() {
        return ansiblePlaybookBinary;
    }

    public void setAnsiblePlaybookBinary(String ansiblePlaybookBinary) {
        this.ansiblePlaybookBinary = ansiblePlaybookBinary;
    }

    public String getAnsibleBinary() {
        return ansibleBinary;
    }

    public void setAnsibleBinary(String ansibleBinary) {
        this.ansibleBinary = ansibleBinary;
    }

    public String getAnsibleConfig() {
        return ansibleConfig;
    }

    public void setAnsibleConfig(String ansibleConfig) {
        this.ansibleConfig = ansibleConfig;
    }

    public boolean isPipelining() {
        return pipelining;
    }

    public void setPipelining(boolean pipelining) {
        this.pipelining = pipelining;
    }

    public long getSshControlPersist() {
        return sshControlPersist;
    }

    public void setSshControlPersist(long sshControlPersist) {
        this.sshControlPersist = sshControlPersist;
    }

    public int getMaxOutput() {
        return maxOutput;
    }

    public void setMaxOutput(int maxOutput) {
        this.maxOutput = maxOutput;
    }

    public boolean isThrowOnFailure() {
        return throwOnFailure;
    }

    public void setThrowOnFailure(boolean throwOnFailure) {
        this.throwOnFailure = throwOnFailure;
    }
}
