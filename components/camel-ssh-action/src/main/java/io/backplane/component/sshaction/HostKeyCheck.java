package io.backplane.component.sshaction;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The host keys one connection must present: the host's {@code backplane_host_keys} from the inventory. There is no
 * "accept on first use" and no fallback to ~/.ssh/known_hosts: a host without listed keys, or presenting another
 * key, is refused before authentication (so neither the client key nor a command ever reaches it).
 * <p>
 * The SSHD client has one verifier for all connections; {@link #VERIFIER} finds the check for each connection in the
 * connection's context attributes and records there what it rejected, so the result event can name the key.
 */
final class HostKeyCheck {

    static final AttributeKey<HostKeyCheck> ATTRIBUTE = new AttributeKey<>();

    /** Verifies against the connection's own check; a connection made without one is refused. */
    static final ServerKeyVerifier VERIFIER = (ClientSession session, SocketAddress remote, PublicKey key) -> {
        AttributeRepository context = session.getConnectionContext();
        HostKeyCheck check = context == null ? null : context.getAttribute(ATTRIBUTE);
        return check != null && check.verify(key);
    };

    private final String host;
    private final String where;
    private final String inventory;
    private final List<PublicKey> expected;
    private volatile String rejection;

    /**
     * @param host      the inventory name (for messages)
     * @param where     address:port (for messages)
     * @param keyLines  {@code "<type> <base64>"} entries from the inventory
     * @param inventory the inventory file (for messages)
     */
    HostKeyCheck(String host, String where, List<String> keyLines, String inventory) throws ActionFailure {
        this.host = host;
        this.where = where;
        this.inventory = inventory;
        List<PublicKey> keys = new ArrayList<>(keyLines.size());
        for (String line : keyLines) {
            try {
                keys.add(PublicKeyEntry.parsePublicKeyEntry(line)
                        .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING));
            } catch (Exception e) {
                throw new ActionFailure(io.backplane.core.action.ActionResult.Outcome.REFUSED,
                        "host '" + host + "' has a backplane_host_keys entry that is not a usable public key ("
                                + e.getMessage() + ") in the inventory " + inventory);
            }
        }
        this.expected = List.copyOf(keys);
    }

    boolean verify(PublicKey presented) {
        for (PublicKey key : expected) {
            if (KeyUtils.compareKeys(key, presented)) {
                return true;
            }
        }
        String shown = KeyUtils.getKeyType(presented) + " " + KeyUtils.getFingerPrint(presented);
        if (expected.isEmpty()) {
            rejection = "host key of '" + host + "' (" + where + ") is unknown: the inventory " + inventory
                    + " lists no backplane_host_keys for it; the server presented " + shown
                    + ". Nothing was sent to it.";
        } else {
            List<String> listed = expected.stream()
                    .map(k -> KeyUtils.getKeyType(k) + " " + KeyUtils.getFingerPrint(k)).toList();
            rejection = "host key of '" + host + "' (" + where + ") does not match the inventory " + inventory
                    + ": the server presented " + shown + ", the inventory lists " + String.join(", ", listed)
                    + ". Nothing was sent to it (a changed key may mean a reinstalled host or a man in the middle).";
        }
        return false;
    }

    /** Why the presented key was refused, or null if it was not (yet) refused. */
    String rejection() {
        return rejection;
    }

    List<PublicKey> expected() {
        return expected;
    }
}
