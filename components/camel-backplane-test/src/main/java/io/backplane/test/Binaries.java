package io.backplane.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real programs system tests run (Prometheus, Alertmanager, sshd, ansible-playbook). A missing program is a
 * test failure with the fix in the message, never a skip: a skipped system test would hide a missing dependency.
 */
public final class Binaries {

    private Binaries() {
    }

    /** The absolute path of {@code name} on PATH (or under /usr/sbin, /sbin), or an AssertionError saying how to get it. */
    public static Path require(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed: run .ci/install-system-deps.sh (the README's test command does)");
    }
}
