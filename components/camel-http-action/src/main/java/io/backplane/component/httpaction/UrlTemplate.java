package io.backplane.component.httpaction;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.backplane.core.template.TemplateException;

/**
 * A URL with {@code ${path}} placeholders (the syntax of {@link io.backplane.core.template.Template}) whose values
 * are percent-encoded, so that a value from an event is always data inside one path segment or one query value and
 * can never change where the request goes:
 * <ul>
 * <li>the scheme, host and port are fixed: placeholders (and user info) are refused there when the template is
 * compiled, so an event cannot pick the server;</li>
 * <li>every character of a value except the RFC 3986 unreserved ones ({@code A-Z a-z 0-9 - . _ ~}) is encoded, so
 * {@code /}, {@code ?}, {@code #}, {@code &}, {@code =}, {@code @}, {@code %} and {@code {}} in a value stay data;</li>
 * <li>a rendered path with a {@code .} or {@code ..} segment is refused, because servers and proxies resolve those
 * ({@code /api/${data.x}/restart} with {@code x = ".."} would otherwise become {@code /api/restart}).</li>
 * </ul>
 */
final class UrlTemplate {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private record Placeholder(String text, String[] path) {
    }

    private final String source;
    private final String base; // scheme://host[:port], literal
    private final String target; // scheme://host:port with the default port filled in
    private final List<Object> parts; // after the base: String literals and Placeholders

    private UrlTemplate(String source, String base, String target, List<Object> parts) {
        this.source = source;
        this.base = base;
        this.target = target;
        this.parts = parts;
    }

    /** Compiles and checks a template; every error names what is wrong with it. */
    static UrlTemplate compile(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("url is required, e.g. url=http://127.0.0.1:8080/api/${data.service}");
        }
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url " + text + " must start with http:// or https://");
        }
        int authorityEnd = schemeEnd + 3;
        while (authorityEnd < text.length() && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = text.substring(schemeEnd + 3, authorityEnd);
        if (authority.contains("${")) {
            throw new IllegalArgumentException("url " + text + " has a placeholder in its host or port: the scheme, "
                                               + "host and port are fixed, placeholders go in the path or query");
        }
        if (authority.contains("@")) {
            throw new IllegalArgumentException("url " + text + " contains user info (user:password@): use the "
                                               + "username and password options, so credentials never appear in "
                                               + "URLs, logs or result events");
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("url " + text + " has no host");
        }
        String base = text.substring(0, authorityEnd);
        URI baseUri;
        try {
            baseUri = new URI(base);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url " + text + " has an invalid host or port: " + e.getMessage());
        }
        if (baseUri.getHost() == null) {
            throw new IllegalArgumentException("url " + text + " has no host");
        }
        int port = baseUri.getPort() >= 0 ? baseUri.getPort() : scheme.equals("https") ? 443 : 80;
        String target = scheme + "://" + baseUri.getHost() + ":" + port;

        List<Object> parts = new ArrayList<>();
        int at = authorityEnd;
        while (at < text.length()) {
            int open = text.indexOf("${", at);
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                throw new TemplateException("url template has an unclosed '${' at character " + open + ": " + text);
            }
            String path = text.substring(open + 2, close).trim();
            if (path.isEmpty() || !path.matches("[A-Za-z0-9_.\\-]+")) {
                throw new TemplateException("url template placeholder '${" + path + "}' at character " + open
                                            + " is not a path like data.service");
            }
            parts.add(new Placeholder("${" + path + "}", path.split("\\.")));
            at = close + 1;
        }
        UrlTemplate template = new UrlTemplate(text, base, target, List.copyOf(parts));
        template.checkLiteralSyntax();
        return template;
    }

    /** The circuit breaker's key: {@code scheme://host:port}. */
    String target() {
        return target;
    }

    /** {@code scheme://host[:port]} as written: the camel-http endpoint that sends is made from it. */
    String base() {
        return base;
    }

    /** The URL for one event; a missing value or a dot segment is a {@link TemplateException}. */
    String render(Map<String, ?> event) {
        StringBuilder out = new StringBuilder(source.length() + 32).append(base);
        for (Object part : parts) {
            if (part instanceof String literal) {
                out.append(literal);
            } else {
                Placeholder p = (Placeholder) part;
                Object value = resolve(event, p.path());
                if (value == null) {
                    throw new TemplateException("the event has no value for " + p.text());
                }
                if (value instanceof Map || value instanceof Iterable) {
                    throw new TemplateException("a URL takes single values, but " + p.text() + " is a "
                                                + (value instanceof Map ? "JSON object" : "JSON array"));
                }
                encode(String.valueOf(value), out);
            }
        }
        String url = out.toString();
        checkNoDotSegments(url);
        return url;
    }

    /** Percent-encodes everything but the RFC 3986 unreserved characters, as UTF-8. */
    static void encode(String value, StringBuilder out) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    private void checkNoDotSegments(String url) {
        int pathStart = base.length();
        int pathEnd = pathStart;
        while (pathEnd < url.length() && url.charAt(pathEnd) != '?' && url.charAt(pathEnd) != '#') {
            pathEnd++;
        }
        String path = url.substring(pathStart, pathEnd);
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new TemplateException("the URL path " + path + " has a '" + segment + "' segment: a value of "
                                            + "the event would change the path");
            }
        }
    }

    /** The literal text must make a valid URL whatever the values are (they are always encoded). */
    private void checkLiteralSyntax() {
        StringBuilder sample = new StringBuilder(base);
        for (Object part : parts) {
            sample.append(part instanceof String literal ? literal : "x");
        }
        try {
            new URI(sample.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url " + source + " is not a valid URL: " + e.getMessage()
                                               + " (percent-encode special characters in its fixed text)");
        }
    }

    private static Object resolve(Map<String, ?> event, String[] path) {
        Object current = event;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @Override
    public String toString() {
        return source;
    }
}
