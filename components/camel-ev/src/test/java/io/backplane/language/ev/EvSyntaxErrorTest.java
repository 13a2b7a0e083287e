package io.backplane.language.ev;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One test per class of compile error: each names the position and what was expected there. */
class EvSyntaxErrorTest {

    private static final EvLanguage LANGUAGE = new EvLanguage();

    private static EvSyntaxException condition(String text) {
        return catchThrowableOfType(EvSyntaxException.class, () -> LANGUAGE.createPredicate(text));
    }

    private static EvSyntaxException expression(String text) {
        return catchThrowableOfType(EvSyntaxException.class, () -> LANGUAGE.createExpression(text));
    }

    @Test
    void empty() {
        EvSyntaxException e = condition("   ");
        assertThat(e).hasMessageStartingWith("ev: the expression is empty; expected a value");
        assertThat(e.getPosition()).isEqualTo(1);
        assertThat(condition(null)).hasMessageContaining("the expression is empty");
    }

    @Test
    void missingOperand() {
        EvSyntaxException e = condition("data.alert.name == && 2");
        assertThat(e).hasMessage("ev: expected a value (a path, 'string', number, true, false, null or '(') but "
                                 + "found '&&' at position 20 in: data.alert.name == && 2");
        assertThat(e.getPosition()).isEqualTo(20);
        assertThat(e.getExpression()).isEqualTo("data.alert.name == && 2");
        assertThat(condition("data.x >")).hasMessageContaining("but found the end of the expression at position 9");
        assertThat(condition("data.x && ")).hasMessageContaining("expected a value");
    }

    @Test
    void unexpectedCharacters() {
        assertThat(condition("data.x = 1")).hasMessage("ev: unexpected '=': compare with == at position 8 in: "
                                                       + "data.x = 1");
        assertThat(condition("a & b")).hasMessageContaining("unexpected '&': 'and' is && (or and) at position 3");
        assertThat(condition("a | b")).hasMessageContaining("unexpected '|': 'or' is || (or or) at position 3");
        assertThat(condition("data.x == #")).hasMessageContaining("unexpected character '#' at position 11");
        assertThat(condition("data.x == é")).hasMessageContaining("unexpected character 'é' at position 11");
        assertThat(condition("${data.x} > 1")).hasMessageContaining("a template ('${...}') makes text, not a "
                                                                     + "condition");
        assertThat(condition("data.x > $y")).hasMessageContaining("unexpected '$': paths are written without ${...}");
    }

    @Test
    void unterminatedStringAndBadEscapes() {
        assertThat(condition("subject == 'web01")).hasMessageContaining(
                "unterminated string: the ' is never closed at position 12");
        assertThat(condition("subject == \"web01")).hasMessageContaining("the \" is never closed");
        assertThat(condition("subject == 'a\\qb'")).hasMessageContaining("unknown escape '\\q'");
        assertThat(condition("subject == '\\u12'")).hasMessageContaining("\\u needs four hex digits");
        assertThat(condition("subject == '\\uzzzz'")).hasMessageContaining("\\u needs four hex digits, not 'zzzz'");
    }

    @Test
    void invalidNumbers() {
        assertThat(condition("data.x > 1.2.3")).hasMessageContaining("invalid number '1.2.3'")
                .hasMessageContaining("at position 10");
        assertThat(condition("data.x > 12abc")).hasMessageContaining("invalid number '12abc'");
        assertThat(condition("data.x > 1e999")).hasMessageContaining("number '1e999' is out of range");
    }

    @Test
    void badPaths() {
        assertThat(condition("data..x == 1")).hasMessageContaining("empty field name (two dots) in 'data..x' at "
                                                                   + "position 6");
        assertThat(condition("data. == 1")).hasMessageContaining("expected a field name after '.' in 'data.'");
        assertThat(condition("header == 1")).hasMessageContaining("expected a header name after 'header.'");
        assertThat(condition("ext == 1")).hasMessageContaining("expected an attribute name after 'ext.'");
    }

    @Test
    void unclosedParenthesis() {
        assertThat(condition("(data.x > 1 && data.y < 2")).hasMessageContaining(
                "expected ')' to close the '(' at position 1 but found the end of the expression at position 26");
        assertThat(condition("data.x > 1)")).hasMessageContaining("but found ')' at position 11");
    }

    @Test
    void trailingTokens() {
        assertThat(condition("data.x > 1 data.y")).hasMessage(
                "ev: expected an operator (==, !=, <, <=, >, >=, in, contains, =~, glob), '&&', '||' or the end of "
                + "the expression but found 'data.y' at position 12 in: data.x > 1 data.y");
        assertThat(condition("subject web01")).hasMessageContaining("but found 'web01' at position 9");
    }

    @Test
    void comparisonsDoNotChain() {
        assertThat(condition("1 < data.x < 5")).hasMessageContaining(
                "comparisons do not chain: join them with && (found '<') at position 12");
        assertThat(condition("data.x == 1 == true")).hasMessageContaining("comparisons do not chain");
    }

    @Test
    void inNeedsAListOrAPath() {
        assertThat(condition("subject in 'web01'")).hasMessageContaining(
                "expected a list such as ['a', 'b'] or a path after 'in' but found ''web01'' at position 12");
        assertThat(condition("subject in ['a', data.x]")).hasMessageContaining(
                "expected a literal ('string', number, true, false or null) in the list but found 'data.x'");
        assertThat(condition("subject in ['a' 'b']")).hasMessageContaining("expected ',' or ']' in the list but "
                                                                          + "found ''b''");
        assertThat(condition("subject in ['a',")).hasMessageContaining("found the end of the expression");
    }

    @Test
    void regexNeedsAValidQuotedPattern() {
        assertThat(condition("subject =~ web")).hasMessageContaining(
                "expected a quoted string (a regular expression) after '=~' but found 'web' at position 12");
        EvSyntaxException e = condition("subject =~ 'web(('");
        assertThat(e).hasMessageContaining("invalid regular expression ''web((''")
                .hasMessageContaining("at position 12");
        assertThat(e.getCause()).isInstanceOf(java.util.regex.PatternSyntaxException.class);
    }

    @Test
    void globNeedsAValidQuotedGlob() {
        assertThat(condition("type glob monitor")).hasMessageContaining(
                "expected a quoted string (a tag glob such as 'monitor/**/firing') after 'glob' but found 'monitor'");
        assertThat(condition("type glob 'monitor/disk*'")).hasMessageContaining("invalid tag glob: ")
                .hasMessageContaining("mixes '*' with text");
        assertThat(condition("type glob 'a//b'")).hasMessageContaining("empty segment");
    }

    @Test
    void existsNeedsAPath() {
        assertThat(condition("exists 'x'")).hasMessageContaining(
                "expected a path after 'exists' (e.g. exists data.alert.name) but found ''x'' at position 8");
        assertThat(condition("exists")).hasMessageContaining("found the end of the expression");
    }

    @Test
    void keywordsAreNotValues() {
        assertThat(condition("data.x == and")).hasMessageContaining("expected a value").hasMessageContaining(
                "found 'and'");
        assertThat(condition("in ['a']")).hasMessageContaining("found 'in' at position 1");
    }

    @Test
    void templatesWithAnUnclosedPlaceholder() {
        EvSyntaxException e = expression("disk ${data.mount at 90%");
        assertThat(e).hasMessageContaining("invalid template: template has an unclosed '${'")
                .hasMessageContaining("at position 6");
        assertThat(expression("disk ${data mount}")).hasMessageContaining("is not a path like data.service");
    }

    @Test
    void errorsReachTheRouteThatUsesTheExpression() {
        assertThatThrownBy(() -> LANGUAGE.createPredicate("data.x >"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in: data.x >");
    }
}
