package io.backplane.rules.test;

import java.util.regex.Pattern;

/** A glob over endpoint URIs: {@code *} any characters (slashes and colons too), {@code ?} one character. */
final class UriGlob {

    private UriGlob() {
    }

    static Pattern compile(String glob) {
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    sb.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                sb.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            sb.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }

    static boolean matches(String glob, String uri) {
        return matches(compile(glob), uri);
    }

    /**
     * Matches the URI as Camel normalised it ({@code ssh-action://oncall?command=page}) or as a rule usually writes
     * it ({@code ssh-action:oncall?command=page}).
     */
    static boolean matches(Pattern glob, String uri) {
        return glob.matcher(uri).matches() || glob.matcher(written(uri)).matches();
    }

    /** Schemes whose URIs are URLs: written with {@code //} by the user too. */
    private static final java.util.Set<String> URL_SCHEMES = java.util.Set.of("http", "https", "ws", "wss", "ftp",
            "ftps", "sftp", "file", "netty-http", "vertx-http");

    /**
     * The URI without the {@code //} Camel puts after the scheme ({@code ssh-action://oncall} is written
     * {@code ssh-action:oncall}); URLs keep it.
     */
    static String written(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0 || !uri.startsWith("//", colon + 1) || URL_SCHEMES.contains(uri.substring(0, colon))) {
            return uri;
        }
        return uri.substring(0, colon + 1) + uri.substring(colon + 3);
    }
}
