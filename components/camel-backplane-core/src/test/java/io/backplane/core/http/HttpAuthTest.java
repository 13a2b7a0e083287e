package io.backplane.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HttpAuthTest {

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openAcceptsAnythingAndSendsNothing() {
        HttpAuth auth = HttpAuth.of(" ", null, null);
        assertThat(auth.isOpen()).isTrue();
        assertThat(auth.accepts(null)).isTrue();
        assertThat(auth.header()).isNull();
    }

    @Test
    void bearerTokenMustMatch() {
        HttpAuth auth = HttpAuth.of("s3cret", null, null);
        assertThat(auth.accepts("Bearer s3cret")).isTrue();
        assertThat(auth.accepts("bearer s3cret")).isTrue();
        assertThat(auth.accepts("Bearer s3cre")).isFalse();
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.accepts(basic("x:s3cret"))).isFalse();
        assertThat(auth.header()).isEqualTo("Bearer s3cret");
        assertThat(auth.challenge()).startsWith("Bearer");
    }

    @Test
    void basicCredentialsMustMatch() {
        HttpAuth auth = HttpAuth.of(null, "am", "pw:with:colons");
        assertThat(auth.accepts(basic("am:pw:with:colons"))).isTrue();
        assertThat(auth.accepts(basic("am:wrong"))).isFalse();
        assertThat(auth.accepts("Basic not-base64!!")).isFalse();
        assertThat(auth.accepts("Bearer am:pw:with:colons")).isFalse();
        assertThat(auth.header()).isEqualTo(basic("am:pw:with:colons"));
        assertThat(auth.challenge()).startsWith("Basic");
    }
}
