package io.backplane.component.runbook;

import org.apache.camel.spi.Metadata;

/**
 * Headers the {@code runbook} producer sets besides the summary event's CloudEvents headers
 * ({@code CamelCloudEventType} = {@code action/runbook/<name>/<outcome>}, ...). It reads no headers.
 */
public final class RunbookConstants {

    @Metadata(description = "The outcome of the run: ok, failed or refused (the last segment of the summary event's "
                            + "type).",
              javaType = "String")
    public static final String OUTCOME = "CamelRunbookOutcome";

    @Metadata(description = "The id of the first step that failed (and whose failure was not ignored); not set when "
                            + "the run is ok.",
              javaType = "String")
    public static final String FAILED_STEP = "CamelRunbookFailedStep";

    private RunbookConstants() {
    }
}
