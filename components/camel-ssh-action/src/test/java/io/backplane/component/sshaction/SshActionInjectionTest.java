package io.backplane.component.sshaction;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Event values cannot add commands (in-process server; {@link SshActionSystemTest} repeats it on OpenSSH). */
class SshActionInjectionTest extends SshActionTestSupport {

    @Test
    void eventValuesAreSingleArgumentsAndRunNothing() throws Exception {
        try (TestSshServer server = TestSshServer.start(dir)) {
            Path inventory = inventory("web01", server.port(), server.hostKeyLine(), server.clientKeyFile());
            start();
            Path marker = dir.resolve("M");
            String uri = "ssh-action:echo?inventory=" + inventory + "&host=${data.target}&maxOutput=300000"
                    + "&command=RAW(" + Injection.COMMAND + ")";
            Injection.assertNoInjection(marker, this::act, uri);
        }
    }

    @Test
    void aSubjectCannotPointTheActorAnywhere() throws Exception {
        try (TestSshServer server = TestSshServer.start(dir)) {
            Path inventory = inventory("web01", server.port(), server.hostKeyLine(), server.clientKeyFile());
            start();
            Path marker = dir.resolve("M");
            Injection.assertSubjectCannotPickAHost(marker, this::act,
                    "ssh-action:touch?inventory=" + inventory + "&command=RAW(touch " + marker + ")");
            org.assertj.core.api.Assertions.assertThat(server.sessionsCreated()).isZero();
        }
    }
}
