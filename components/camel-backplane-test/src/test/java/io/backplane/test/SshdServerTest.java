package io.backplane.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshdServerTest {

    /** The launcher is right when the real OpenSSH client gets in with the key and verifies the host key. */
    @Test
    void opensshClientLogsInWithTheKeyAndKnownHostKey(@TempDir Path dir) throws Exception {
        try (SshdServer sshd = SshdServer.start(dir.resolve("sshd"))) {
            Path knownHosts = dir.resolve("known_hosts");
            java.nio.file.Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKeyLine() + "\n");
            Process ssh = new ProcessBuilder("ssh", "-p", String.valueOf(sshd.port()), "-i", sshd.clientKey().toString(),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    sshd.user() + "@127.0.0.1", "echo", "hello").redirectErrorStream(true).start();
            String out = new String(ssh.getInputStream().readAllBytes());
            assertThat(ssh.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as(sshd.log()).contains("hello");
            assertThat(ssh.exitValue()).isZero();
        }
    }
}
