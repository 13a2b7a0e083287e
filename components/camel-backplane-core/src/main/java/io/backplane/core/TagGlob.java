package io.backplane.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A glob over slash-separated tags: {@code *} matches exactly one segment, {@code **} any number of segments
 * (including none). Wildcards stand for whole segments only: {@code disk*} is refused rather than silently
 * treated as a literal.
 */
public final class TagGlob {

    public static final String ONE = "*";
    public static final String ANY = "**";

    private final String pattern;
    private final String[] segments;

    private TagGlob(String pattern, String[] segments) {
        this.pattern = pattern;
        this.segments = segments;
    }

    public static TagGlob of(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidEventException("tag glob is empty");
        }
        String[] segments = Tags.split(pattern, "tag glob '" + pattern + "'");
        for (String s : segments) {
            if (s.indexOf('*') >= 0 && !s.equals(ONE) && !s.equals(ANY)) {
                throw new InvalidEventException("tag glob '" + pattern + "': segment '" + s
                                                + "' mixes '*' with text; use '*' or '**' as a whole segment");
            }
        }
        return new TagGlob(pattern, segments);
    }

    public String pattern() {
        return pattern;
    }

    String[] segments() {
        return segments;
    }

    public boolean isLiteral() {
        for (String s : segments) {
            if (s.equals(ONE) || s.equals(ANY)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The literal segments before the first wildcard, joined by '/': every tag this glob matches starts with it.
     * Transports push it down as a prefix subscription; the empty string means "everything".
     */
    public String literalPrefix() {
        List<String> literal = new ArrayList<>();
        for (String s : segments) {
            if (s.equals(ONE) || s.equals(ANY)) {
                break;
            }
            literal.add(s);
        }
        return String.join("/", literal);
    }

    public boolean matches(String tag) {
        return matches(Tags.split(tag, "tag '" + tag + "'"), 0, 0);
    }

    private boolean matches(String[] tag, int t, int g) {
        while (g < segments.length) {
            String s = segments[g];
            if (s.equals(ANY)) {
                if (g == segments.length - 1) {
                    return true;
                }
                for (int i = t; i <= tag.length; i++) {
                    if (matches(tag, i, g + 1)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= tag.length || (!s.equals(ONE) && !s.equals(tag[t]))) {
                return false;
            }
            t++;
            g++;
        }
        return t == tag.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagGlob && ((TagGlob) o).pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
