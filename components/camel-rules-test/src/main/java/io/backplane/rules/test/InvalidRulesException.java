package io.backplane.rules.test;

import java.util.List;
import java.util.stream.Collectors;

/** The rules do not validate against Camel's YAML DSL schema; each problem has its file and line. */
public final class InvalidRulesException extends RuntimeException {

    private final transient List<Problem> problems;

    public InvalidRulesException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
