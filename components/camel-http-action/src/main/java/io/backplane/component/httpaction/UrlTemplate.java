package io.backplane.component.httpaction;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import io.backplane.core.template.Template;
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

    private final String source;
    private final String base; // scheme://host[:port], literal
    private final String target; // scheme://host:port with the default port filled in
    private final Template rest; // after the base: path, query, fragment with URL-encoded values

    private UrlTemplate(String source, String base, String target, Template rest) {
        this.source = source;
        this.base = base;
        this.target = target;
        this.rest = rest;
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

        Template rest;
        try {
            rest = Template.compile(text, authorityEnd, Template.Escaping.URL);
        } catch (TemplateException e) {
            throw new TemplateException("url " + e.getMessage());
        }
        UrlTemplate template = new UrlTemplate(text, base, target, rest);
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
        String url = base + rest.render(event);
        checkNoDotSegments(url);
        return url;
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
        try {
            new URI(base + rest.sample("x"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url " + source + " is not a valid URL: " + e.getMessage()
                                               + " (percent-encode special characters in its fixed text)");
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
