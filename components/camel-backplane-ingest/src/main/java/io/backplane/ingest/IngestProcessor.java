package io.backplane.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.InvalidEventException;
import io.backplane.core.http.HttpAuth;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: takes CloudEvents in structured mode ({@code application/cloudevents+json}), batch mode
 * ({@code application/cloudevents-batch+json}, all or nothing) and binary mode ({@code ce-*} headers), and plain
 * JSON data with {@code ?type=TAG} for the simplest emitters, and publishes them on the bus.
 * <p>
 * Answers: 202 {@code {"accepted":[ids]}}; 400 malformed or invalid (the body names the problem); 401 without the
 * token; 413 over the size limit; 415 another content type; 503 when the bus refuses.
 */
public class IngestProcessor implements Processor {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);

    private final EventCodec codec;
    private final int maxBodyBytes;
    private final HttpAuth auth;
    private final String busUri;
    private volatile Endpoint bus;
    private volatile ProducerTemplate template;

    /**
     * @param token the bearer token required in {@code Authorization}, or null/empty for none
     */
    public IngestProcessor(EventCodec codec, int maxBodyBytes, String token, String busUri) {
        this.codec = codec;
        this.maxBodyBytes = maxBodyBytes;
        this.auth = HttpAuth.of(token, null, null);
        this.busUri = busUri;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    bus = exchange.getContext().getEndpoint(busUri);
                    template = exchange.getContext().createProducerTemplate();
                }
            }
        }
        org.apache.camel.Message in = exchange.getMessage();
        IngestResponse response;
        String authorization = in.getHeader("Authorization", String.class);
        if (!auth.accepts(authorization)) {
            response = IngestResponse.error(401, authorization == null
                    ? "missing Authorization: Bearer token" : "wrong token");
            exchange.getMessage().setHeader("WWW-Authenticate", auth.challenge());
        } else {
            byte[] body = in.getBody(byte[].class);
            try {
                List<Event> events = decode(in.getHeader(Exchange.CONTENT_TYPE, String.class),
                        in.getHeaders(), in.getHeader(Exchange.HTTP_QUERY, String.class), body);
                response = publish(events);
            } catch (InvalidEventException e) {
                response = IngestResponse.error(e.isTooLarge() ? 413 : 400, e.getMessage());
            } catch (UnsupportedContentType e) {
                response = IngestResponse.error(415, e.getMessage());
            }
        }
        String wwwAuthenticate = in.getHeader("WWW-Authenticate", String.class);
        // answer with our headers only: nothing of the request (its Authorization above all) is echoed back
        in.removeHeaders("*");
        if (wwwAuthenticate != null) {
            in.setHeader("WWW-Authenticate", wwwAuthenticate);
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(response.json());
    }

    private IngestResponse publish(List<Event> events) {
        List<String> ids = new ArrayList<>(events.size());
        for (Event event : events) {
            try {
                Exchange result = template.send(bus, e -> e.getMessage().setBody(event));
                if (result.getException() != null) {
                    throw result.getException();
                }
            } catch (Exception e) {
                LOG.warn("bus refused event {}: {}", event.id(), e.getMessage());
                IngestResponse r = IngestResponse.error(503, "the bus refused event " + event.id() + ": "
                                                             + e.getMessage());
                r.body().put("accepted", ids);
                return r;
            }
            ids.add(event.id());
        }
        return IngestResponse.accepted(ids);
    }

    /** Turns one request into events, or throws naming what is wrong. Public for benchmarks and tests. */
    public List<Event> decode(String contentType, Map<String, Object> headers, String query, byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidEventException("request body is empty");
        }
        if (body.length > maxBodyBytes) {
            throw InvalidEventException.tooLarge("request body", body.length, maxBodyBytes);
        }
        String mediaType = mediaType(contentType);
        Map<String, Object> params = parseQuery(query);
        Object tag = params.get("type");
        if (tag != null) {
            requireJson(mediaType);
            Object subject = params.get("subject");
            Object source = params.get("source");
            return List.of(codec.fromData(tag.toString(), subject == null ? null : subject.toString(),
                    source == null ? null : source.toString(), body));
        }
        if (STRUCTURED.equals(mediaType)) {
            return List.of(codec.parse(body));
        }
        if (BATCH.equals(mediaType)) {
            return codec.parseBatch(body);
        }
        Map<String, Object> binary = binaryAttributes(headers);
        if (!binary.isEmpty()) {
            requireJson(mediaType);
            binary.put(Event.DATA, EventCodec.readObject(body, "data"));
            if (mediaType != null) {
                binary.put(Event.DATACONTENTTYPE, mediaType);
            }
            return List.of(codec.fromAttributes(binary));
        }
        if ("application/json".equals(mediaType)) {
            // a structured event sent as plain application/json (curl's habit): accept it, but say what is missing
            try {
                return List.of(codec.parse(body));
            } catch (InvalidEventException e) {
                throw new InvalidEventException(e.getMessage() + " (plain JSON data needs ?type=TAG; a full event "
                                                + "should be sent as " + STRUCTURED + ")", e);
            }
        }
        throw new UnsupportedContentType("content type '" + contentType + "' is not accepted: use " + STRUCTURED
                                         + ", " + BATCH + ", binary mode (ce-* headers) or application/json with ?type=TAG");
    }

    private static void requireJson(String mediaType) {
        if (mediaType != null && !mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new UnsupportedContentType("content type '" + mediaType + "' is not JSON: data must be a JSON object");
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> parseQuery(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        try {
            return URISupport.parseQuery(query);
        } catch (Exception e) {
            throw new InvalidEventException("malformed query string: " + e.getMessage(), e);
        }
    }

    /** CloudEvents HTTP binary mode: each attribute is a ce-NAME header, percent-encoded. */
    private static Map<String, Object> binaryAttributes(Map<String, Object> headers) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            String name = h.getKey();
            if (name.length() > 3 && name.regionMatches(true, 0, "ce-", 0, 3) && h.getValue() != null) {
                String value = h.getValue().toString();
                attrs.put(name.substring(3).toLowerCase(Locale.ROOT),
                        URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return attrs;
    }

    static final class UnsupportedContentType extends RuntimeException {
        UnsupportedContentType(String message) {
            super(message);
        }
    }

}
