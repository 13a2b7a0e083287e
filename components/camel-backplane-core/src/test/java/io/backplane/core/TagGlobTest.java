package io.backplane.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagGlobTest {

    @Test
    void literalGlobMatchesOnlyItself() {
        TagGlob g = TagGlob.of("app/shop/client-load");
        assertThat(g.matches("app/shop/client-load")).isTrue();
        assertThat(g.matches("app/shop")).isFalse();
        assertThat(g.matches("app/shop/client-load/x")).isFalse();
        assertThat(g.isLiteral()).isTrue();
    }

    @Test
    void starMatchesExactlyOneSegment() {
        TagGlob g = TagGlob.of("app/*/client-load");
        assertThat(g.matches("app/shop/client-load")).isTrue();
        assertThat(g.matches("app/client-load")).isFalse();
        assertThat(g.matches("app/a/b/client-load")).isFalse();
    }

    @Test
    void doubleStarMatchesAnyNumberOfSegments() {
        TagGlob g = TagGlob.of("monitor/**/firing");
        assertThat(g.matches("monitor/firing")).isTrue();
        assertThat(g.matches("monitor/alertmanager/HighLoad/firing")).isTrue();
        assertThat(g.matches("monitor/alertmanager/HighLoad/resolved")).isFalse();
        assertThat(TagGlob.of("**").matches("anything/at/all")).isTrue();
        assertThat(TagGlob.of("monitor/**").matches("monitor")).isTrue();
        assertThat(TagGlob.of("a/**/b/**/c").matches("a/x/b/y/z/c")).isTrue();
        assertThat(TagGlob.of("a/**/b/**/c").matches("a/x/c")).isFalse();
    }

    @Test
    void literalPrefixStopsAtTheFirstWildcard() {
        assertThat(TagGlob.of("monitor/**/firing").literalPrefix()).isEqualTo("monitor");
        assertThat(TagGlob.of("app/shop/*").literalPrefix()).isEqualTo("app/shop");
        assertThat(TagGlob.of("**").literalPrefix()).isEmpty();
        assertThat(TagGlob.of("a/b").literalPrefix()).isEqualTo("a/b");
    }

    @Test
    void badGlobsAreRefusedWithTheReason() {
        for (String bad : List.of("", "a//b", "/a", "a/", "disk*/x", "a b")) {
            assertThatThrownBy(() -> TagGlob.of(bad)).isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("glob");
        }
        assertThatThrownBy(() -> TagGlob.of("disk*")).hasMessageContaining("whole segment");
    }

    @Test
    void tagsMayNotContainWildcards() {
        assertThatThrownBy(() -> Tags.requireTag("app/*/x")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("wildcards");
    }
}
