package io.backplane.language.ev;

import org.apache.camel.RuntimeCamelException;

/**
 * An {@code ev} expression could not be evaluated for this exchange: the body is not an event (not a map, and not
 * JSON that parses into one), or a template lacks a value. Missing fields in a condition are not errors (they are
 * null and compare false).
 */
public class EvEvaluationException extends RuntimeCamelException {

    public EvEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
