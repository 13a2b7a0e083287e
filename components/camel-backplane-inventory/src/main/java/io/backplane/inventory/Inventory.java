package io.backplane.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The hosts actors may act on, read from an Ansible YAML inventory (so {@code ansible-playbook -i} reads the same
 * file):
 * <pre>
 * all:
 *   vars: {ansible_user: ops}
 *   hosts:
 *     web01: {ansible_host: 10.0.0.5, ansible_port: 22, backplane_host_keys: "ssh-ed25519 AAAA..."}
 *   children:
 *     web: {hosts: {web01: {}}, vars: {service: nginx}}
 * </pre>
 * A target named by an event is looked up here and nowhere else: a name that is not a host or group of this
 * inventory is refused, so an event cannot point an actor at an arbitrary machine, and names are restricted to
 * {@code [A-Za-z0-9._-]} so they are safe as a {@code --limit} or in a log line. Immutable once loaded.
 */
public final class Inventory {

    /** What host and group names may contain: nothing a shell, an Ansible pattern or a tag would read specially. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    public static final String HOST_KEYS_VAR = "backplane_host_keys";

    private final String origin;
    private final Map<String, Host> hosts;
    private final Map<String, List<String>> groups; // group -> host names (children included)

    private Inventory(String origin, Map<String, Host> hosts, Map<String, List<String>> groups) {
        this.origin = origin;
        this.hosts = Collections.unmodifiableMap(hosts);
        this.groups = Collections.unmodifiableMap(groups);
    }

    public static Inventory load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses inventory YAML; {@code origin} (a file name) appears in every error. */
    public static Inventory parse(String yaml, String origin) {
        Object root;
        if (yaml.isBlank()) {
            return new Inventory(origin, Map.of(), Map.of());
        }
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
        } catch (IOException e) {
            throw new InventoryException("inventory " + origin + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return new Inventory(origin, Map.of(), Map.of());
        }
        Map<String, Object> top = map(root, origin, "the top level");
        Map<String, Object> all = top.containsKey("all") ? map(top.get("all"), origin, "all") : Map.of("children", top);
        Builder builder = new Builder(origin);
        builder.group("all", all, List.of(), Map.of());
        return builder.build();
    }

    /** The host named {@code name}, or an {@link InventoryException} saying it is not in this inventory. */
    public Host host(String name) {
        return find(name).orElseThrow(() -> new InventoryException(
                "host '" + printable(name) + "' is not in the inventory " + origin));
    }

    public Optional<Host> find(String name) {
        return Optional.ofNullable(name == null ? null : hosts.get(name));
    }

    /**
     * The hosts a target names: one host, or every host of one group. Anything else (patterns, lists, unknown
     * names) is refused, because targets come from event data.
     */
    public List<Host> targets(String name) {
        if (name != null && hosts.containsKey(name)) {
            return List.of(hosts.get(name));
        }
        List<String> members = name == null ? null : groups.get(name);
        if (members == null) {
            throw new InventoryException("'" + printable(name) + "' is neither a host nor a group of the inventory " + origin);
        }
        return members.stream().map(hosts::get).toList();
    }

    public Collection<Host> hosts() {
        return hosts.values();
    }

    public Set<String> groupNames() {
        return groups.keySet();
    }

    public String origin() {
        return origin;
    }

    /** known_hosts lines for every host with keys: what ssh/ansible get as UserKnownHostsFile. */
    public List<String> knownHostsLines() {
        List<String> lines = new ArrayList<>();
        hosts.values().forEach(h -> lines.addAll(h.knownHostsLines()));
        return lines;
    }

    /** A name fit for an error message: bounded and without control characters. */
    static String printable(String name) {
        if (name == null) {
            return "(none)";
        }
        String cut = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String origin, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new InventoryException("inventory " + origin + ": " + where + " must be a mapping, not " + value);
        }
        return (Map<String, Object>) value;
    }

    /** Walks groups depth first, merging variables like Ansible (all < parent group < child group < host). */
    private static final class Builder {
        private final String origin;
        private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
        private final Map<String, Set<String>> hostGroups = new LinkedHashMap<>();
        private final Map<String, Set<String>> groupHosts = new LinkedHashMap<>();

        Builder(String origin) {
            this.origin = origin;
        }

        void group(String name, Map<String, Object> body, List<String> parents, Map<String, Object> inherited) {
            checkName(name, "group");
            if (parents.contains(name)) {
                throw new InventoryException("inventory " + origin + ": group '" + name + "' contains itself");
            }
            for (String key : body.keySet()) {
                if (!Set.of("hosts", "vars", "children").contains(key)) {
                    throw new InventoryException("inventory " + origin + ": group '" + name + "' has unknown key '"
                            + key + "' (expected hosts, vars, children)");
                }
            }
            Map<String, Object> vars = new LinkedHashMap<>(inherited);
            vars.putAll(map(body.get("vars"), origin, "vars of group " + name));
            List<String> path = new ArrayList<>(parents);
            path.add(name);
            groupHosts.computeIfAbsent(name, g -> new LinkedHashSet<>());
            for (Map.Entry<String, Object> host : map(body.get("hosts"), origin, "hosts of group " + name).entrySet()) {
                checkName(host.getKey(), "host");
                Map<String, Object> merged = hostVars.computeIfAbsent(host.getKey(), h -> new LinkedHashMap<>());
                vars.forEach(merged::putIfAbsent); // a host listed in several groups keeps what it already has
                merged.putAll(map(host.getValue(), origin, "host " + host.getKey()));
                hostGroups.computeIfAbsent(host.getKey(), h -> new LinkedHashSet<>()).addAll(path);
                path.forEach(g -> groupHosts.computeIfAbsent(g, x -> new LinkedHashSet<>()).add(host.getKey()));
            }
            for (Map.Entry<String, Object> child : map(body.get("children"), origin, "children of group " + name).entrySet()) {
                group(child.getKey(), map(child.getValue(), origin, "group " + child.getKey()), path, vars);
                groupHosts.get(name).addAll(groupHosts.get(child.getKey()));
            }
        }

        Inventory build() {
            Map<String, Host> hosts = new LinkedHashMap<>();
            hostVars.forEach((name, vars) -> hosts.put(name, host(name, vars)));
            Map<String, List<String>> groups = new LinkedHashMap<>();
            groupHosts.forEach((g, members) -> groups.put(g, List.copyOf(members)));
            return new Inventory(origin, hosts, groups);
        }

        private Host host(String name, Map<String, Object> vars) {
            String address = string(vars.get("ansible_host"), name);
            int port;
            try {
                port = Integer.parseInt(string(vars.get("ansible_port"), "22"));
            } catch (NumberFormatException e) {
                throw new InventoryException("inventory " + origin + ": host '" + name + "' has a non-numeric ansible_port");
            }
            if (port < 1 || port > 65535) {
                throw new InventoryException("inventory " + origin + ": host '" + name + "' has ansible_port " + port);
            }
            List<String> keys = new ArrayList<>();
            Object declared = vars.get(HOST_KEYS_VAR);
            if (declared instanceof Collection<?> list) {
                list.forEach(k -> keys.add(String.valueOf(k).trim()));
            } else if (declared != null) {
                String.valueOf(declared).lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(keys::add);
            }
            for (String key : keys) {
                if (!key.matches("[a-z0-9@.-]+ [A-Za-z0-9+/]{16,}={0,2}( .*)?")) {
                    throw new InventoryException("inventory " + origin + ": host '" + name + "' has a "
                            + HOST_KEYS_VAR + " entry that is not '<type> <base64>': " + printable(key));
                }
            }
            return new Host(name, address, port, (String) stringOrNull(vars.get("ansible_user")),
                    (String) stringOrNull(vars.get("ansible_ssh_private_key_file")), List.copyOf(keys),
                    List.copyOf(hostGroups.getOrDefault(name, Set.of())), Collections.unmodifiableMap(vars));
        }

        private void checkName(String name, String what) {
            if (!NAME.matcher(name).matches()) {
                throw new InventoryException("inventory " + origin + ": " + what + " name '" + printable(name)
                        + "' may contain only letters, digits, '.', '_' and '-'");
            }
        }

        private static String string(Object value, String fallback) {
            return value == null ? fallback : String.valueOf(value);
        }

        private static Object stringOrNull(Object value) {
            return value == null ? null : String.valueOf(value);
        }
    }
}
