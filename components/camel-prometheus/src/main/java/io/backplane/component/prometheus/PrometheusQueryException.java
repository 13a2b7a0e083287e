package io.backplane.component.prometheus;

/** A poll that produced no samples: Prometheus unreachable, an HTTP error, a refused query or an unusable answer. */
class PrometheusQueryException extends Exception {

    PrometheusQueryException(String message) {
        super(message);
    }

    PrometheusQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
