package io.backplane.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TagTrieTest {

    @Test
    void findsEveryMatchingValueOnce() {
        TagTrie<String> trie = new TagTrie<>();
        trie.add(TagGlob.of("monitor/**/firing"), "firing");
        trie.add(TagGlob.of("monitor/**"), "all-monitor");
        trie.add(TagGlob.of("monitor/*/HighLoad/firing"), "highload");
        trie.add(TagGlob.of("**"), "everything");
        trie.add(TagGlob.of("app/**"), "app");
        // '**/**' can reach the same value along several paths: it must still come once
        trie.add(TagGlob.of("**/firing/**"), "firing-anywhere");

        assertThat(trie.match("monitor/alertmanager/HighLoad/firing"))
                .containsExactlyInAnyOrder("firing", "all-monitor", "highload", "everything", "firing-anywhere");
        assertThat(trie.match("app/shop/client-load")).containsExactlyInAnyOrder("app", "everything");
        assertThat(trie.match("other")).containsExactly("everything");
    }

    @Test
    void removeTakesOnlyThatValue() {
        TagTrie<Object> trie = new TagTrie<>();
        Object a = new Object();
        Object b = new Object();
        trie.add(TagGlob.of("x/*"), a);
        trie.add(TagGlob.of("x/*"), b);
        assertThat(trie.match("x/y")).containsExactlyInAnyOrder(a, b);
        assertThat(trie.remove(TagGlob.of("x/*"), a)).isTrue();
        assertThat(trie.match("x/y")).containsExactly(b);
        assertThat(trie.remove(TagGlob.of("x/*"), a)).isFalse();
    }

    @Test
    void agreesWithTheGlobMatcherOnRandomGlobsAndTags() {
        Random random = new Random(42);
        String[] words = {"a", "b", "c", "*", "**"};
        List<TagGlob> globs = new ArrayList<>();
        TagTrie<TagGlob> trie = new TagTrie<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(4);
            for (int j = 0; j < n; j++) {
                sb.append(j == 0 ? "" : "/").append(words[random.nextInt(words.length)]);
            }
            TagGlob g = TagGlob.of(sb.toString());
            globs.add(g);
            trie.add(g, g);
        }
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(5);
            for (int j = 0; j < n; j++) {
                sb.append(j == 0 ? "" : "/").append(words[random.nextInt(3)]);
            }
            String tag = sb.toString();
            List<TagGlob> expected = globs.stream().filter(g -> g.matches(tag)).toList();
            assertThat(trie.match(tag)).as(tag).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
