package io.backplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TagsTest {

    @Test
    void segmentKeepsSafeValuesAsTheyAre() {
        String name = "HighLoad-1.2:x";
        assertThat(Tags.segment(name)).isSameAs(name);
    }

    @Test
    void segmentCannotAddSegmentsOrWildcards() {
        assertThat(Tags.segment("a/b")).isEqualTo("a_b");
        assertThat(Tags.segment("**")).isEqualTo("__");
        assertThat(Tags.segment("disk full\n")).isEqualTo("disk_full_");
        assertThat(Tags.segment("")).isEqualTo("_");
        assertThat(Tags.segment(null)).isEqualTo("_");
        assertThat(Tags.requireTag("monitor/x/" + Tags.segment("/mnt/data") + "/firing")).isNotNull();
    }
}
