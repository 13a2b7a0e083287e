package io.backplane.language.ev;

import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.spi.annotations.Language;
import org.apache.camel.support.LanguageSupport;

/**
 * The {@code ev} language: conditions, values and text templates over Backplane events, compiled once into direct
 * map accessors. Found by its service file ({@code META-INF/services/org/apache/camel/language/ev}); in YAML routes
 * it is written {@code ev: "data.alert.severity > 2"} wherever Camel takes an expression. See docs/components/ev.md.
 */
@Language("ev")
public class EvLanguage extends LanguageSupport {

    @Override
    public Predicate createPredicate(String expression) {
        return EvExpression.predicate(expression == null ? null : loadResource(expression));
    }

    @Override
    public Expression createExpression(String expression) {
        return EvExpression.expression(expression == null ? null : loadResource(expression));
    }
}
