package io.backplane.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which local addresses listen on a TCP port, read from Linux's /proc/net/tcp and tcp6. */
public final class ListeningSockets {

    private ListeningSockets() {
    }

    public static Set<String> localAddressesOf(int port) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A = LISTEN
                if (f.length < 4 || !f[3].equals("0A")) {
                    continue;
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) {
                    out.add(decode(local[0]));
                }
            }
        }
        return out;
    }

    private static String decode(String hex) {
        if (hex.length() == 8) { // IPv4, little-endian
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                   + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4-mapped (::ffff:a.b.c.d), as Java binds it
            return decode(hex.substring(24));
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : "ipv6:" + hex;
    }
}
