package io.backplane.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.backplane.core.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTest {

    static Event event(String service) {
        return Event.builder("monitor/probe/web/down").subject("web01")
                .data(Map.of("service", service, "port", 8080, "tags", Map.of("env", "prod"))).build();
    }

    @Test
    void shellTemplateQuotesEveryValue() {
        Template t = Template.compile("systemctl restart ${data.service} # on ${subject}", Template.Escaping.SHELL);
        assertThat(t.render(event("nginx"))).isEqualTo("systemctl restart 'nginx' # on 'web01'");
        assertThat(t.render(event("it's"))).isEqualTo("systemctl restart 'it'\\''s' # on 'web01'");
    }

    /** The point of the template: run the rendered command in a real shell and see that nothing else runs. */
    @Test
    void injectionAttemptsStayOneArgumentInARealShell(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("pwned");
        String[] attacks = {"$(touch " + marker + ")", "`touch " + marker + "`", "x; touch " + marker,
                "x | touch " + marker, "x\ntouch " + marker, "x' ; touch " + marker + " ; '", "\"; touch " + marker + "; \"",
                "x".repeat(100_000) + "$(touch " + marker + ")"};
        Template t = Template.compile("printf '%s' ${data.service}", Template.Escaping.SHELL);
        for (String attack : attacks) {
            Process p = new ProcessBuilder("/bin/sh", "-c", t.render(event(attack))).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo(attack);
            assertThat(Files.exists(marker)).as("marker after %s", attack.length() > 80 ? "long value" : attack).isFalse();
        }
    }

    @Test
    void jsonTemplateWritesJsonValues() {
        Template t = Template.compile("{\"service\": ${data.service}, \"port\": ${data.port}, \"tags\": ${data.tags}}",
                Template.Escaping.JSON);
        assertThat(t.render(event("a\"b"))).isEqualTo("{\"service\": \"a\\\"b\", \"port\": 8080, \"tags\": {\"env\":\"prod\"}}");
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> Template.compile("echo ${data.x", Template.Escaping.SHELL))
                .isInstanceOf(TemplateException.class).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> Template.compile("echo ${$(id)}", Template.Escaping.SHELL))
                .hasMessageContaining("is not a path");
        Template t = Template.compile("echo ${data.missing}", Template.Escaping.SHELL);
        assertThatThrownBy(() -> t.render(event("x"))).hasMessageContaining("no value for ${data.missing}");
        assertThatThrownBy(() -> Template.compile("echo ${data.tags}", Template.Escaping.SHELL).render(event("x")))
                .hasMessageContaining("single values");
        assertThatThrownBy(() -> Template.shellQuote("a\0b")).hasMessageContaining("NUL");
    }
}
