package io.backplane.gate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.backplane.core.EventCodec;
import io.backplane.core.http.HttpAuth;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The HTTP answers about gates, for a CI pipeline's {@code curl --fail}:
 * <ul>
 * <li>{@code GET /gates/<name>}: 200 {@code {"gate":..,"open":true,...}} when open, 423 (Locked) with the reasons
 * when closed, 404 for an unknown gate;</li>
 * <li>{@code GET /gates}: 200 with every gate's state;</li>
 * <li>401 without the token when {@code backplane.gates.token} is set.</li>
 * </ul>
 */
public class GatesHttp {

    /** The path parameter of {@code /gates/{gate}}. */
    static final String GATE = "gate";

    private final Supplier<GateService> gates;
    private final HttpAuth auth;

    public GatesHttp(Supplier<GateService> gates, HttpAuth auth) {
        this.gates = gates;
        this.auth = auth;
    }

    /** {@code GET /gates/{gate}}. */
    public Processor one() {
        return exchange -> {
            Message in = exchange.getMessage();
            if (refused(in)) {
                return;
            }
            String name = in.getHeader(GATE, String.class);
            GateStatus status = name == null ? null : gates.get().status(name);
            if (status == null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", "no gate named '" + name + "'");
                body.put("gates", new ArrayList<>(gates.get().gates().names()));
                answer(in, 404, body);
            } else {
                answer(in, status.open() ? 200 : 423, status.toMap());
            }
        };
    }

    /** {@code GET /gates}. */
    public Processor all() {
        return exchange -> {
            Message in = exchange.getMessage();
            if (refused(in)) {
                return;
            }
            List<Map<String, Object>> list = new ArrayList<>();
            boolean allOpen = true;
            for (GateStatus s : gates.get().statuses()) {
                list.add(s.toMap());
                allOpen &= s.open();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("open", allOpen);
            body.put("gates", list);
            answer(in, 200, body);
        };
    }

    private boolean refused(Message in) {
        String authorization = in.getHeader("Authorization", String.class);
        if (auth.accepts(authorization)) {
            return false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", auth.refusal(authorization));
        answer(in, 401, body);
        in.setHeader("WWW-Authenticate", auth.challenge());
        return true;
    }

    private static void answer(Message in, int status, Map<String, Object> body) {
        // answer with our headers only: nothing of the request (its Authorization above all) is echoed back
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader("Cache-Control", "no-store");
        in.setBody(new String(EventCodec.toJsonBytes(body), StandardCharsets.UTF_8));
    }
}
