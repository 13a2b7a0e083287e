package io.backplane.component.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import io.backplane.core.Event;
import org.apache.camel.builder.RouteBuilder;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake in a runbook stops its route from starting, with a message that says what and where. */
class RunbookDefinitionTest extends RunbookTestSupport {

    @TempDir
    Path dir;

    private String file() {
        return runbooks.resolve("check.yaml").toString();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> startFails(String definition) {
        return assertThatThrownBy(() -> start(actors(), runbookRoute(definition))).rootCause();
    }

    @Test
    void aConditionOnAnUnknownStep() {
        startFails("""
                steps:
                  - id: check-disk
                    uri: direct:ok
                  - id: restart
                    uri: direct:ok2
                    when: steps.chek-disk.outcome == 'ok'
                """).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runbook 'check' (" + file() + "), step 'restart': when: 'steps.chek-disk.outcome == 'ok'' "
                            + "reads step 'chek-disk', which is not an earlier step of this runbook (earlier steps: "
                            + "check-disk)");
    }

    @Test
    void aConditionOnALaterStepOrOnItself() {
        startFails("""
                steps:
                  - id: restart
                    uri: direct:ok
                    when: steps.verify.outcome == 'ok'
                  - id: verify
                    uri: direct:ok2
                """).hasMessage("runbook 'check' (" + file() + "), step 'restart': when: 'steps.verify.outcome == 'ok'' "
                                + "reads step 'verify', which is not an earlier step of this runbook (earlier "
                                + "steps: none)");
        startFails("""
                steps:
                  - id: restart
                    uri: direct:ok
                    when: steps.restart.exitCode == 0
                """).hasMessage("runbook 'check' (" + file() + "), step 'restart': when: 'steps.restart.exitCode == 0' "
                                + "reads this step itself; a condition can only read earlier steps");
    }

    @Test
    void aConditionWithASyntaxError() {
        startFails("""
                steps:
                  - id: a
                    uri: direct:ok
                  - id: b
                    uri: direct:ok2
                    when: steps.a.outcome = 'ok'
                """).hasMessage("runbook 'check' (" + file() + "), step 'b': when: '=' at character 17 of "
                                + "'steps.a.outcome = 'ok'': compare with '=='");
        startFails("""
                steps:
                  - id: a
                    uri: direct:ok
                  - id: b
                    uri: direct:ok2
                    when: steps.a.outcome == ok
                """).hasMessageContaining("unknown name 'ok': conditions read steps.<id>.<field> and event.<path>, "
                                          + "and text values are quoted ('ok')");
    }

    @Test
    void duplicateIds() {
        startFails("""
                steps:
                  - id: restart
                    uri: direct:ok
                  - id: verify
                    uri: direct:ok2
                  - id: restart
                    uri: direct:ok3
                """).hasMessage("runbook 'check' (" + file() + "), step 'restart': the id is used twice (steps 1 and 3); "
                                + "step ids must be unique");
    }

    @Test
    void aStepWithoutUriOrId() {
        startFails("""
                steps:
                  - id: restart
                """).hasMessage("runbook 'check' (" + file() + "), step 'restart' has no uri: the endpoint to send the "
                                + "event to, for example ssh-action:check-disk?command=df -P /");
        startFails("""
                steps:
                  - uri: direct:ok
                """).hasMessage("runbook 'check' (" + file() + "), step 1 has no id (conditions and the summary name "
                                + "steps by id)");
        startFails("""
                steps:
                  - id: re.start
                    uri: direct:ok
                """).hasMessage("runbook 'check' (" + file() + "), step 1: id 're.start' may contain only letters, "
                                + "digits, '_' and '-'");
    }

    @Test
    void unknownKeysAndBadValues() {
        startFails("""
                steps:
                  - id: a
                    uri: direct:ok
                    contineOnFailure: true
                """).hasMessage("runbook 'check' (" + file() + "), step 'a': unknown key 'contineOnFailure' (known: always, "
                                + "continueOnFailure, description, id, ignoreFailure, parameters, uri, when)");
        startFails("""
                onFailure: retry
                steps:
                  - id: a
                    uri: direct:ok
                """).hasMessage("runbook 'check' (" + file() + "): onFailure must be stop or continue, not 'retry'");
        startFails("""
                steps:
                  - id: a
                    uri: direct:ok
                    always: sometimes
                """).hasMessage("runbook 'check' (" + file() + "), step 'a': always must be true or false, not "
                                + "'sometimes'");
        startFails("""
                stepz:
                  - id: a
                """).hasMessageStartingWith("runbook 'check' (" + file() + "): unknown key 'stepz'");
        startFails("onFailure: stop").hasMessage("runbook 'check' (" + file() + ") needs steps: a list of at least one "
                                                 + "step with an id and a uri");
        startFails("""
                steps:
                  - id: a
                    uri: ssh-action:x
                    parameters:
                      command: [df, -P]
                """).hasMessage("runbook 'check' (" + file() + "), step 'a': parameter command must be a single value, "
                                + "not a list");
    }

    @Test
    void invalidYaml() {
        assertThatThrownBy(() -> start(actors(), runbookRoute("""
                steps:
                  - id: a
                    uri: direct:ok
                    uri: direct:ok2
                """))).hasStackTraceContaining("runbook 'check' (" + file() + ") is not valid YAML: Duplicate "
                                               + "field 'uri'");
    }

    @Test
    void unclosedYaml() {
        assertThatThrownBy(() -> start(actors(), runbookRoute("steps: [{id: a, uri: direct:ok}")))
                .hasStackTraceContaining("runbook 'check' (" + file() + ") is not valid YAML: ");
    }

    @Test
    void aStepUriThatCannotBeResolvedFailsAtStart() {
        startFails("""
                steps:
                  - id: a
                    uri: nosuchcomponent:x
                """).hasMessageContaining("No endpoint could be found for: nosuchcomponent://x");
        assertThatThrownBy(() -> start(actors(), runbookRoute("steps: [{id: a, uri: 'nosuchcomponent:x'}]")))
                .hasStackTraceContaining("runbook:check, step 'a': cannot use uri nosuchcomponent:x");
    }

    @Test
    void aRunbookCannotRunItself() {
        assertThatThrownBy(() -> start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:loop?definition=RAW(steps: [{id: again, uri: 'runbook:loop'}])");
            }
        })).hasStackTraceContaining("runbook:loop, step 'again': cannot use uri runbook:loop: a runbook cannot run "
                                    + "itself");
    }

    @Test
    void namesMustMatch() {
        assertThatThrownBy(() -> start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:restart-web?definition=RAW({name: restart-db, steps: [{id: a, "
                                     + "uri: 'direct:ok'}]})");
            }
        })).rootCause().hasMessage("runbook 'restart-web' (definition) says name: restart-db, but the endpoint is "
                                   + "runbook:restart-web (the names must match, or leave name: out)");
    }

    @Test
    void badName() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:a/b");
            }
        })).rootCause().hasMessage("runbook name 'a/b' may contain only letters, digits, '.', '_' and '-'");
    }

    @Test
    void aMissingFile() throws Exception {
        RunbookComponent runbooks = new RunbookComponent();
        runbooks.setDirectory(dir.toString());
        context.addComponent("runbook", runbooks);
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:restart-web");
            }
        })).rootCause().hasMessage("runbook:restart-web: no definition: set the option definition or file, or create "
                                   + dir.resolve("restart-web.yaml").toAbsolutePath() + " (the component's directory "
                                   + "is " + dir + ")");
    }

    @Test
    void aMissingNamedFile() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:x?file=" + dir.resolve("nope.yaml"));
            }
        })).rootCause().hasMessage("runbook:x: the file " + dir.resolve("nope.yaml") + " does not exist");
    }

    @Test
    void aMissingClasspathFile() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:x?file=classpath:nope.yaml");
            }
        })).rootCause().hasMessage("runbook:x: file classpath:nope.yaml is not on the classpath");
    }

    @Test
    void bothDefinitionAndFile() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("runbook:x?file=a.yaml&definition=RAW(steps: [])");
            }
        })).rootCause().hasMessage("runbook:x: give either definition or file, not both");
    }

    @Test
    void theRunbookIsAnActorOnly() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("runbook:x?definition=RAW(steps: [{id: a, uri: 'direct:ok'}])").to("mock:x");
            }
        })).rootCause().hasMessage("runbook is an actor: use it in to:, not in from:");
    }

    @Test
    void filesFromTheDirectoryPropertyAFileOptionAndTheClasspath() throws Exception {
        Path runbooks = Files.createDirectories(dir.resolve("books"));
        Files.writeString(runbooks.resolve("restart-web.yaml"), """
                name: restart-web
                steps:
                  - id: a
                    uri: direct:ok
                """);
        Files.writeString(dir.resolve("other.yaml"), "steps: [{id: b, uri: direct:ok2}]");
        context.getPropertiesComponent().addInitialProperty(RunbookComponent.DIRECTORY_PROPERTY, runbooks.toString());
        start(actors(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dir").to("runbook:restart-web");
                from("direct:file").to("runbook:other?file=" + dir.resolve("other.yaml"));
                from("direct:classpath").to("runbook:on-classpath?file=classpath:runbooks/on-classpath.yaml");
            }
        });
        assertThat(template.requestBody("direct:dir", trigger(), Event.class).type())
                .isEqualTo("action/runbook/restart-web/ok");
        assertThat(template.requestBody("direct:file", trigger(), Event.class).type())
                .isEqualTo("action/runbook/other/ok");
        assertThat(template.requestBody("direct:classpath", trigger(), Event.class).type())
                .isEqualTo("action/runbook/on-classpath/ok");
        assertThat(calls).containsExactly("ok", "ok2", "ok3");
    }
}
