package io.backplane.component.httpaction;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad option or combination fails when the endpoint is created, with a message naming it. */
class HttpActionValidationTest extends HttpActionTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            http-action:x | url is required, e.g. url=http://127.0.0.1:8080/api/${data.service}
            http-action:x?url=ftp://127.0.0.1/x | url ftp://127.0.0.1/x must start with http:// or https://
            http-action:x?url=127.0.0.1:80/x | url 127.0.0.1:80/x must start with http:// or https://
            http-action:x?url=RAW(http://${data.host}:80/x) | url http://${data.host}:80/x has a placeholder in its host or port: the scheme, host and port are fixed, placeholders go in the path or query
            http-action:x?url=RAW(http://127.0.0.1:${data.port}/x) | url http://127.0.0.1:${data.port}/x has a placeholder in its host or port: the scheme, host and port are fixed, placeholders go in the path or query
            http-action:x?url=RAW(http://user:pw@127.0.0.1/x) | url http://user:pw@127.0.0.1/x contains user info (user:password@): use the username and password options, so credentials never appear in URLs, logs or result events
            http-action:x?url=RAW(http:///x) | url http:///x has no host
            http-action:x?url=RAW(http://127.0.0.1/a b) | url http://127.0.0.1/a b is not a valid URL: Illegal character in path at index 18: http://127.0.0.1/a b (percent-encode special characters in its fixed text)
            http-action:x?url=RAW(http://127.0.0.1/${data.x) | url template has an unclosed '${' at character 17: http://127.0.0.1/${data.x
            http-action:x?url=RAW(http://127.0.0.1/${data x}) | url template placeholder '${data x}' at character 17 is not a path like data.service
            http-action:x?url=http://127.0.0.1/x&method=TRACE | method=TRACE is not one of GET, POST, PUT, PATCH, DELETE, HEAD
            http-action:x?url=http://127.0.0.1/x&method=GET&body=RAW({}) | body is sent with POST, PUT or PATCH only, not with method=GET
            http-action:x?url=http://127.0.0.1/x&body=RAW({"a": ${data.a) | template has an unclosed '${' at character 6: {"a": ${data.a
            http-action:x?url=http://127.0.0.1/x&body=RAW({"a": ${data.a}) | body is not a JSON template: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])
            http-action:x?url=http://127.0.0.1/x&body=RAW({"host": "h-${subject}"}) | body is not a JSON template: Unexpected character ('"' (code 34)): was expecting comma to separate Object entries
            http-action:x?url=http://127.0.0.1/x&retries=-1 | retries must be at least 0, got -1
            http-action:x?url=http://127.0.0.1/x&timeout=0 | timeout must be at least 1, got 0
            http-action:x?url=http://127.0.0.1/x&backoff=10s&maxBackoff=5s | backoff (10000 ms) is longer than maxBackoff (5000 ms)
            http-action:x?url=http://127.0.0.1/x&breakerFailures=-1 | breakerFailures must be at least 0, got -1
            http-action:x?url=http://127.0.0.1/x&breakerOpenFor=0 | breakerOpenFor must be at least 1, got 0
            http-action:x?url=http://127.0.0.1/x&bearerToken=t&username=u&password=p | set bearerToken or username/password, not both
            http-action:x?url=http://127.0.0.1/x&password=p | password is set without username
            http-action:x?url=http://127.0.0.1/x&username=a:b&password=p | username must not contain ':' (basic authentication separates user and password with it)
            http-action:x?url=http://127.0.0.1/x&headers=RAW({"X(A)": "1"}) | headers: 'X(A)' is not a valid HTTP header name
            http-action:x?url=http://127.0.0.1/x&headers=RAW({"X-A": {"b": 1}}) | headers: the value of X-A must be a string
            http-action:x?url=http://127.0.0.1/x&headers=RAW({"X-A": null}) | headers: the value of X-A must be a string
            http-action:x?url=http://127.0.0.1/x&headers=RAW(["X-A"]) | headers must be a JSON object like {"X-Team": "ops"}
            http-action:x?url=http://127.0.0.1/x&headers=X-A: 1 | headers is not a JSON object like {"X-Team": "ops"}: Unrecognized token 'X': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
            http-action:x?url=http://127.0.0.1/x&headers=RAW({"Authorization": "x"})&bearerToken=t | headers: Authorization cannot be combined with bearerToken or username/password
            http-action:x?url=http://127.0.0.1/x&headers=RAW({"host": "evil"}) | headers: host is set by the HTTP client and cannot be given
            """)
    void badOptionsFailWithAClearMessage(String uri, String message) throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage(message);
    }

    @Test
    void lineBreaksInHeaderValuesOrTokensAreRefused() throws Exception {
        // Camel drops CR and LF from URI strings, so they can only come through a bean or a map of options
        start();
        HttpActionComponent component = context.getComponent("http-action", HttpActionComponent.class);
        HttpActionEndpoint header = new HttpActionEndpoint("http-action:x", component, "x");
        header.setUrl("http://127.0.0.1/x");
        header.setHeaders("{\"X-A\": \"a\\r\\nX-B: b\"}");
        assertThatThrownBy(header::validate).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("headers: the value of X-A contains a line break or control character");
        HttpActionEndpoint token = new HttpActionEndpoint("http-action:x", component, "x");
        token.setUrl("http://127.0.0.1/x");
        token.setBearerToken("t\nX-B: b");
        assertThatThrownBy(token::validate).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bearerToken contains a line break or control character");
    }

    @Test
    void unknownOptionsAreRefused() throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint("http-action:x?url=http://127.0.0.1/x&bogus=1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Unknown parameters=[{bogus=1}]");
    }

    @Test
    void itCannotBeAConsumer() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("http-action:x?url=http://127.0.0.1/x").to("mock:x");
            }
        })).hasRootCauseMessage("http-action is an actor: use it with to:, not from:");
    }

    @Test
    void theDefaultsAreAsDocumented() throws Exception {
        start();
        HttpActionEndpoint e = context.getEndpoint("http-action:x?url=http://127.0.0.1/x", HttpActionEndpoint.class);
        assertThat(e.getMethod()).isEqualTo("POST");
        assertThat(e.getRetries()).isEqualTo(3);
        assertThat(e.getBackoff()).isEqualTo(200);
        assertThat(e.getMaxBackoff()).isEqualTo(5000);
        assertThat(e.getTimeout()).isEqualTo(10_000);
        assertThat(e.getBreakerFailures()).isEqualTo(5);
        assertThat(e.getBreakerOpenFor()).isEqualTo(30_000);
        assertThat(e.isThrowOnFailure()).isFalse();
        assertThat(e.urlTemplate().target()).isEqualTo("http://127.0.0.1:80");
        assertThat(context.getEndpoint("http-action:y?url=https://example.org/x", HttpActionEndpoint.class)
                .urlTemplate().target()).isEqualTo("https://example.org:443");
    }

    @Test
    void secretsAreMaskedInTheEndpointUriThatCamelLogs() throws Exception {
        start();
        HttpActionEndpoint e = context.getEndpoint("http-action:x?url=http://127.0.0.1/x&bearerToken=s3cret",
                                                   HttpActionEndpoint.class);
        assertThat(e.toString()).doesNotContain("s3cret");
    }
}
