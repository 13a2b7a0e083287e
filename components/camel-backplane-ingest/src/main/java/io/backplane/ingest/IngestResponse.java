package io.backplane.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backplane.core.EventCodec;

/** The JSON answers of the ingest: 202 with the accepted ids, or an error status with a body naming the problem. */
record IngestResponse(int status, Map<String, Object> body) {

    static IngestResponse accepted(List<String> ids) {
        return new IngestResponse(202, Map.of("accepted", ids));
    }

    static IngestResponse error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        return new IngestResponse(status, body);
    }

    String json() {
        return new String(EventCodec.toJsonBytes(body), java.nio.charset.StandardCharsets.UTF_8);
    }
}
