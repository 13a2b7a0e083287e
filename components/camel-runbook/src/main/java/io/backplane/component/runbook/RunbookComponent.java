package io.backplane.component.runbook;

import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code runbook:} component: ordered checklists of actions (any endpoint that answers with a result event:
 * {@code ssh-action:}, {@code http-action:}, {@code ansible:}, a {@code direct:} route), with conditions on earlier
 * results, stop or continue on failure, and one summary result event per run.
 */
@Component("runbook")
public class RunbookComponent extends DefaultComponent {

    /** Application property naming the folder of runbook files when the component option is not set. */
    public static final String DIRECTORY_PROPERTY = "backplane.runbooks.directory";
    /** The folder used when neither the option nor the property is set (relative to the working directory). */
    public static final String DEFAULT_DIRECTORY = "runbooks";

    @Metadata(defaultValue = DEFAULT_DIRECTORY,
              description = "The folder of runbook files: runbook:NAME without definition or file reads "
                            + "NAME.yaml in it. Default: the application property " + DIRECTORY_PROPERTY
                            + ", else runbooks (relative to the working directory).")
    private String directory;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RunbookEndpoint endpoint = new RunbookEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.load();
        return endpoint;
    }

    /** The folder of runbook files: the component option, else the application property, else runbooks. */
    Path directory() {
        if (directory != null && !directory.isBlank()) {
            return Path.of(directory.trim());
        }
        return Path.of(getCamelContext().getPropertiesComponent().resolveProperty(DIRECTORY_PROPERTY)
                .map(String::trim).filter(v -> !v.isEmpty()).orElse(DEFAULT_DIRECTORY));
    }

    public String getDirectory() {
        return directory;
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }
}
