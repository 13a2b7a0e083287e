package io.backplane.core.template;

/** A template that cannot compile, or an event that cannot fill it; the message names the placeholder. */
public class TemplateException extends IllegalArgumentException {

    public TemplateException(String message) {
        super(message);
    }
}
