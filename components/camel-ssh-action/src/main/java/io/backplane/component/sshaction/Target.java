package io.backplane.component.sshaction;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one action connects, as resolved from the inventory and the endpoint: the inventory name (for messages and
 * the result's subject), the address and port, the user and key to log in with, and the host keys it must present.
 */
record Target(String host, String address, int port, String user, Path keyFile, List<String> hostKeys,
              String inventory) {

    /** {@code address:port}, for messages. */
    String where() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** Connections are shared by actions with the same address, port, login and expected host keys. */
    SessionKey sessionKey() {
        return new SessionKey(address, port, user, keyFile, hostKeys);
    }

    record SessionKey(String address, int port, String user, Path keyFile, List<String> hostKeys) {
    }
}
