package io.backplane.component.runbook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.ResourceHelper;

/**
 * Run an ordered checklist of actions for each event: each step sends the triggering event to an endpoint (an actor
 * such as ssh-action: or http-action:) and records its result event; conditions read earlier results; a failure
 * stops the run or not; the run ends with one summary result event (action/runbook/NAME/ok or failed).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "runbook", title = "Runbook", syntax = "runbook:name",
             producerOnly = true, category = { Category.MANAGEMENT }, headersClass = RunbookConstants.class)
public class RunbookEndpoint extends DefaultEndpoint {

    @UriPath(description = "The runbook's name: the third segment of its summary events (action/runbook/NAME/ok), "
                           + "and the file DIRECTORY/NAME.yaml when neither definition nor file is given. "
                           + "Letters, digits, '.', '_' and '-'.")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "The runbook itself, as YAML text on one line (flow style: {steps: [{id: a, uri: "
                            + "'...'}]}), since Camel joins the lines of a URI. Wrap it in RAW(...). For longer "
                            + "runbooks use a file.")
    private String definition;

    @UriParam(description = "The runbook's YAML file: a path (relative to the working directory), or "
                            + "classpath:runbooks/x.yaml. Default: DIRECTORY/NAME.yaml, DIRECTORY being the component's "
                            + "directory option.")
    private String file;

    @UriParam(description = "Also send each step's own result event to this endpoint as the step finishes (bus to "
                            + "publish them, so rules and chat see the run progress). By default step results stay "
                            + "inside the summary event.")
    private String stepResultUri;

    @UriParam(defaultValue = "false",
              description = "Also throw a RunbookException when the run's outcome is not ok, for Camel error "
                            + "handling (onException, redelivery). The body is the summary event either way.")
    private boolean failOnError;

    private Runbook runbook;

    public RunbookEndpoint(String uri, RunbookComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public RunbookComponent getComponent() {
        return (RunbookComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new RunbookProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("runbook is an actor: use it in to:, not in from:");
    }

    /** Checks the options and reads the definition; called when the endpoint is created. */
    void load() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("runbook needs a name: runbook:<name>");
        }
        if (!Runbook.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("runbook name '" + name
                                               + "' may contain only letters, digits, '.', '_' and '-'");
        }
        if (definition != null && file != null) {
            throw new IllegalArgumentException("runbook:" + name + ": give either definition or file, not both");
        }
        if (definition != null) {
            runbook = Runbook.parse(name, definition, "definition");
            return;
        }
        String location;
        String yaml;
        if (file != null && file.trim().startsWith("classpath:")) {
            location = file.trim();
            try (InputStream in = ResourceHelper.resolveResourceAsInputStream(getCamelContext(), location)) {
                if (in == null) {
                    throw new IllegalArgumentException("runbook:" + name + ": file " + location + " is not on the "
                                                       + "classpath");
                }
                yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("runbook:" + name + ": cannot read " + location + ": " + e, e);
            }
        } else {
            Path path = file != null ? Path.of(file.trim().replaceFirst("^file:", ""))
                    : getComponent().directory().resolve(name + ".yaml");
            location = path.toString();
            try {
                yaml = Files.readString(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("runbook:" + name + ": " + (file != null
                        ? "the file " + path.toAbsolutePath() + " does not exist"
                        : "no definition: set the option definition or file, or create "
                          + path.toAbsolutePath() + " (the component's directory is " + getComponent().directory()
                          + ")"));
            } catch (IOException e) {
                throw new IllegalArgumentException("runbook:" + name + ": cannot read " + path.toAbsolutePath()
                                                   + ": " + e, e);
            }
        }
        runbook = Runbook.parse(name, yaml, location);
    }

    Runbook runbook() {
        return runbook;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDefinition() {
        return definition;
    }

    public void setDefinition(String definition) {
        this.definition = definition;
    }

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public String getStepResultUri() {
        return stepResultUri;
    }

    public void setStepResultUri(String stepResultUri) {
        this.stepResultUri = stepResultUri;
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }
}
