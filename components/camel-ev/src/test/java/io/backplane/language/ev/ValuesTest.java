package io.backplane.language.ev;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The value rules the evaluator and the index share. */
class ValuesTest {

    @Test
    void numericStringsAreStrictJsonNumbers() {
        assertThat(Values.numeric("12")).isEqualTo(12.0);
        assertThat(Values.numeric("-0.5")).isEqualTo(-0.5);
        assertThat(Values.numeric("1e3")).isEqualTo(1000.0);
        assertThat(Values.numeric("1.5E-2")).isEqualTo(0.015);
        for (String notNumeric : new String[] { "", " 12", "12 ", "+1", "0x1f", "NaN", "Infinity", "1.", ".5", "1e",
                                                "-", "1,5", "12abc", "1e999" }) {
            assertThat(Values.numeric(notNumeric)).as("'%s'", notNumeric).isNaN();
        }
        assertThat(Values.numeric((Object) Double.NaN)).isNaN();
        assertThat(Values.numeric((Object) true)).isNaN();
    }

    @Test
    void canonicalKeys() {
        assertThat(Values.canon(7)).isEqualTo(7.0);
        assertThat(Values.canon(7L)).isEqualTo(Values.canon("7.0"));
        assertThat(Values.canon(-0.0)).isEqualTo(Values.canon(0));
        assertThat(Values.canon(true)).isEqualTo("true");
        assertThat(Values.canon(null)).isSameAs(Values.NULL);
        assertThat(Values.canon(Double.NaN)).isEqualTo("NaN");
        assertThat(Values.canon(List.of(1))).isEqualTo(List.of(1));
        assertThat(Values.canon('x')).isEqualTo("x");
    }

    @Test
    void theFastEqualityPathAgreesWithTheCanonicalRuleForEveryPair() {
        Object[] values = { null, "a", "A", "", "7", "7.0", " 7", 7, 7L, 7.0, 7.5, -0.0, 0, "0", true, false, "true",
                            "false", "NaN", Double.NaN, Double.POSITIVE_INFINITY, "Infinity", List.of("a"),
                            Map.of("a", 1), 'a', new java.math.BigDecimal("7.00") };
        Object[] literals = { null, "a", "A", "", "7", "7.0", " 7", 7L, 7.0, 7.5, -0.0, true, false, "true", "NaN",
                              "Infinity" };
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        for (Object literal : literals) {
            for (boolean negated : new boolean[] { false, true }) {
                for (Object value : values) {
                    Node.EqualsLiteral eq = new Node.EqualsLiteral(new Node.Literal(value, "v"),
                            new Node.Literal(literal, "l"), negated);
                    assertThat(eq.test(null, exchange)).as("%s %s %s", value, negated ? "!=" : "==", literal)
                            .isEqualTo(Values.equal(value, literal) != negated);
                }
            }
        }
    }

    @Test
    void ordering() {
        assertThat(Values.compare(2, "10")).isEqualTo(-1);
        assertThat(Values.compare("b", "a")).isEqualTo(1);
        assertThat(Values.compare("10", "9")).isEqualTo(1);    // both numeric
        assertThat(Values.compare("10", "9x")).isEqualTo(-1);  // text
        assertThat(Values.compare("a", 1)).isEqualTo(Values.INCOMPARABLE);
        assertThat(Values.compare(null, 1)).isEqualTo(Values.INCOMPARABLE);
        assertThat(Values.compare(true, false)).isEqualTo(Values.INCOMPARABLE);
    }
}
