package io.backplane.component.runbook;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

import io.backplane.core.Event;

/**
 * Thrown only with {@code failOnError=true}, for a run that did not end {@code ok}, so that Camel's error handling
 * (onException, redelivery, dead letter channel) takes over. The message body still holds the summary event.
 */
public class RunbookException extends CamelExchangeException {

    private final transient Event result;

    public RunbookException(String message, Exchange exchange, Event result) {
        super(message, exchange);
        this.result = result;
    }

    /** The summary event ({@code action/runbook/<name>/failed|refused}). */
    public Event getResult() {
        return result;
    }
}
