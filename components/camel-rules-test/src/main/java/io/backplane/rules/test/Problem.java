package io.backplane.rules.test;

import java.nio.file.Path;

/** One problem in a rule or case file, printed as {@code file:line: message} like a compiler does. */
public record Problem(Path file, int line, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
