package io.backplane.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps tag globs to values and finds, for one tag, every value whose glob matches it, walking a trie over tag
 * segments: the cost depends on the tag's length and the branches it can follow, not on how many globs there are.
 * <p>
 * Reads are lock-free and safe from any thread; results for recently seen tags are cached (operations tags repeat).
 * Changes (a route starting or stopping) are rare: they rebuild the trie and publish it at once.
 */
public final class TagTrie<T> {

    private static final int CACHE_LIMIT = 8192;

    private static final class Node<T> {
        final Map<String, Node<T>> literal = new HashMap<>();
        Node<T> one;
        Node<T> any;
        final List<T> values = new ArrayList<>(1);
    }

    private static final class Snapshot<T> {
        final Node<T> root;
        final ConcurrentHashMap<String, List<T>> cache = new ConcurrentHashMap<>();

        Snapshot(Node<T> root) {
            this.root = root;
        }
    }

    private final List<Map.Entry<TagGlob, T>> entries = new ArrayList<>();
    private volatile Snapshot<T> snapshot = new Snapshot<>(new Node<>());

    public synchronized void add(TagGlob glob, T value) {
        entries.add(Map.entry(glob, value));
        rebuild();
    }

    public synchronized boolean remove(TagGlob glob, T value) {
        boolean removed = entries.removeIf(e -> e.getKey().equals(glob) && e.getValue() == value);
        if (removed) {
            rebuild();
        }
        return removed;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized List<TagGlob> globs() {
        List<TagGlob> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.getKey()));
        return out;
    }

    private void rebuild() {
        Node<T> root = new Node<>();
        for (Map.Entry<TagGlob, T> e : entries) {
            Node<T> n = root;
            for (String s : e.getKey().segments()) {
                if (s.equals(TagGlob.ANY)) {
                    n = n.any != null ? n.any : (n.any = new Node<>());
                } else if (s.equals(TagGlob.ONE)) {
                    n = n.one != null ? n.one : (n.one = new Node<>());
                } else {
                    n = n.literal.computeIfAbsent(s, k -> new Node<>());
                }
            }
            n.values.add(e.getValue());
        }
        snapshot = new Snapshot<>(root);
    }

    /** Every value whose glob matches the tag, each once, in no particular order. Never null. */
    public List<T> match(String tag) {
        Snapshot<T> s = snapshot;
        List<T> hit = s.cache.get(tag);
        if (hit != null) {
            return hit;
        }
        String[] segments = Tags.split(tag, "tag '" + tag + "'");
        Set<T> found = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(s.root, segments, 0, found);
        List<T> result = found.isEmpty() ? List.of() : List.copyOf(found);
        if (s.cache.size() >= CACHE_LIMIT) {
            s.cache.clear();
        }
        s.cache.put(tag, result);
        return result;
    }

    private static <T> void collect(Node<T> n, String[] tag, int i, Set<T> found) {
        if (n.any != null) {
            // '**' swallows zero or more segments
            for (int j = i; j <= tag.length; j++) {
                collect(n.any, tag, j, found);
            }
        }
        if (i == tag.length) {
            found.addAll(n.values);
            return;
        }
        Node<T> lit = n.literal.get(tag[i]);
        if (lit != null) {
            collect(lit, tag, i + 1, found);
        }
        if (n.one != null) {
            collect(n.one, tag, i + 1, found);
        }
    }
}
