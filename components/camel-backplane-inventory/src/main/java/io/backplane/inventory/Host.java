package io.backplane.inventory;

import java.util.List;
import java.util.Map;

/**
 * One host of the inventory, with the variables it inherits (all, then its groups, then its own, as Ansible merges
 * them).
 *
 * @param name     the inventory name (what events and {@code --limit} use)
 * @param address  where to connect ({@code ansible_host}, default the name)
 * @param port     SSH port ({@code ansible_port}, default 22)
 * @param user     SSH user ({@code ansible_user}, may be null: the actor's default applies)
 * @param keyFile  private key file ({@code ansible_ssh_private_key_file}, may be null)
 * @param hostKeys the host's public keys as {@code known_hosts} key parts ({@code "ssh-ed25519 AAAA..."}), from
 *                 {@code backplane_host_keys} (a string or a list); empty means no action may connect to it
 * @param groups   the groups it belongs to, directly or through children
 * @param vars     all merged variables
 */
public record Host(String name, String address, int port, String user, String keyFile, List<String> hostKeys,
                   List<String> groups, Map<String, Object> vars) {

    /** The host's entries in OpenSSH {@code known_hosts} format, for programs like ansible-playbook and ssh. */
    public List<String> knownHostsLines() {
        String hostPart = port == 22 ? address : "[" + address + "]:" + port;
        return hostKeys.stream().map(key -> hostPart + " " + key).toList();
    }
}
