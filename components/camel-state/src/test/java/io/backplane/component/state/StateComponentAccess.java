package io.backplane.component.state;

import java.nio.file.Path;

/** Package-private helpers of the component, for tests in other packages. */
public final class StateComponentAccess {

    private StateComponentAccess() {
    }

    public static Path resolveGatesFile(String configured, Path workDir, String home) {
        return StateComponent.resolveGatesFile(configured, workDir, home);
    }
}
