package io.backplane.component.sshaction;

import org.apache.camel.spi.Metadata;

/**
 * Headers the {@code ssh-action} producer sets besides the result event's CloudEvents headers
 * ({@code CamelCloudEventType} = {@code action/ssh/<name>/<outcome>}, ...). It reads no headers.
 */
public final class SshActionConstants {

    @Metadata(description = "The outcome of the action: ok, failed, timeout or refused (the last segment of the "
                            + "result event's type).",
              javaType = "String")
    public static final String OUTCOME = "CamelSshActionOutcome";

    @Metadata(description = "The command's exit code; not set when the command did not run to an exit (refused, "
                            + "unreachable, timed out, killed by a signal).",
              javaType = "Integer")
    public static final String EXIT_CODE = "CamelSshActionExitCode";

    private SshActionConstants() {
    }
}
