package io.backplane.component.sshaction;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

import io.backplane.core.Event;

/**
 * Thrown only with {@code failOnError=true}, for an action that did not end {@code ok}, so that Camel's error
 * handling (onException, redelivery, dead letter channel) takes over. The message body still holds the result event.
 */
public class SshActionException extends CamelExchangeException {

    private final transient Event result;

    public SshActionException(String message, Exchange exchange, Event result) {
        super(message, exchange);
        this.result = result;
    }

    /** The result event ({@code action/ssh/<name>/failed|timeout|refused}). */
    public Event getResult() {
        return result;
    }
}
