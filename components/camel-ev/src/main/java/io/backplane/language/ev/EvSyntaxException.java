package io.backplane.language.ev;

/**
 * An {@code ev} expression that does not compile. The message names the position (1-based character) and what was
 * expected there, and repeats the expression, e.g.
 * {@code ev: expected a value (a path, 'string', number, true, false, null or '(') at position 20 but found '&&' in:
 * data.alert.name == && 2}.
 */
public class EvSyntaxException extends IllegalArgumentException {

    private final String expression;
    private final int position;

    public EvSyntaxException(String expression, int position, String problem) {
        this(expression, position, problem, null);
    }

    public EvSyntaxException(String expression, int position, String problem, Throwable cause) {
        super("ev: " + problem + " at position " + position + " in: " + expression, cause);
        this.expression = expression;
        this.position = position;
    }

    /** The expression text as given. */
    public String getExpression() {
        return expression;
    }

    /** 1-based character position of the problem in the expression. */
    public int getPosition() {
        return position;
    }
}
