package io.backplane.rules.test;

import java.util.List;

/**
 * The outcome of one case: passed, or the expectations that failed (each with what was expected and what was
 * seen), or the error that kept the case from running; and the trace of what the rules did.
 */
public record CaseResult(RuleCase ruleCase, List<String> failures, String error, String trace) {

    public boolean passed() {
        return error == null && failures.isEmpty();
    }
}
