package io.backplane.rules.test;

import java.util.List;

/**
 * The outcome of a rule test run: problems that kept it from running (invalid rules or case files, each with file
 * and line), and one result per case. {@link #assertAllPassed()} makes a JUnit test of it.
 */
public record TestReport(List<Problem> problems, List<CaseResult> results, boolean verbose) {

    /** True only if everything was valid, there was at least one case, and every case passed. */
    public boolean passed() {
        return problems.isEmpty() && !results.isEmpty() && results.stream().allMatch(CaseResult::passed);
    }

    public long failedCount() {
        return results.stream().filter(r -> !r.passed()).count();
    }

    /** Throws an {@link AssertionError} carrying the whole report unless every case passed. */
    public TestReport assertAllPassed() {
        if (!passed()) {
            throw new AssertionError("rule tests failed:\n" + text());
        }
        return this;
    }

    /** The report as {@code backplane test} prints it. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (!problems.isEmpty()) {
            for (Problem p : problems) {
                sb.append(p).append('\n');
            }
            sb.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                    .append(" in the rules or cases: no case was run\n");
            return sb.toString();
        }
        for (CaseResult r : results) {
            sb.append(r.passed() ? "PASS  " : "FAIL  ").append(r.ruleCase().where()).append("  ")
                    .append(r.ruleCase().name()).append('\n');
            if (r.error() != null) {
                sb.append(indent(r.error(), "      ")).append('\n');
            }
            for (String f : r.failures()) {
                sb.append(indent(f, "      ")).append('\n');
            }
            if ((!r.passed() || verbose) && r.trace() != null && !r.trace().isEmpty()) {
                sb.append("      what the rules did:\n").append(indent(r.trace(), "        ")).append('\n');
            }
        }
        long failed = failedCount();
        sb.append(results.size()).append(results.size() == 1 ? " case: " : " cases: ")
                .append(results.size() - failed).append(" passed, ").append(failed).append(" failed\n");
        return sb.toString();
    }

    static String indent(String text, String prefix) {
        return prefix + text.strip().replace("\n", "\n" + prefix);
    }
}
